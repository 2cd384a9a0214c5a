import RefGateCore

/// The 24 local authorities of the North West of England with children's social care, by ONS
/// GSS code: what `refgate demo` builds its region from.
public enum NorthWest {
    /// GSS code and name of each.
    public static let authorities: [(id: String, name: String)] = [
        ("E08000001", "Bolton Council"),
        ("E08000002", "Bury Council"),
        ("E08000003", "Manchester City Council"),
        ("E08000004", "Oldham Council"),
        ("E08000005", "Rochdale Borough Council"),
        ("E08000006", "Salford City Council"),
        ("E08000007", "Stockport Metropolitan Borough Council"),
        ("E08000008", "Tameside Metropolitan Borough Council"),
        ("E08000009", "Trafford Council"),
        ("E08000010", "Wigan Council"),
        ("E08000011", "Knowsley Metropolitan Borough Council"),
        ("E08000012", "Liverpool City Council"),
        ("E08000013", "St Helens Borough Council"),
        ("E08000014", "Sefton Council"),
        ("E08000015", "Wirral Council"),
        ("E06000006", "Halton Borough Council"),
        ("E06000007", "Warrington Borough Council"),
        ("E06000008", "Blackburn with Darwen Borough Council"),
        ("E06000009", "Blackpool Council"),
        ("E06000049", "Cheshire East Council"),
        ("E06000050", "Cheshire West and Chester Council"),
        ("E06000063", "Cumberland Council"),
        ("E06000064", "Westmorland and Furness Council"),
        ("E10000017", "Lancashire County Council"),
    ]

    /// The region's members, each with a free peer and admin port on loopback.
    public static func members() throws -> [RegionBuilder.Member] {
        try authorities.map {
            RegionBuilder.Member(
                id: try AuthorityID(validating: $0.id), name: $0.name, peerPort: FreePort.next(),
                localPort: FreePort.next())
        }
    }
}
