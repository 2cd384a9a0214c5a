import Foundation
import Hummingbird

extension Dashboard {
    /// Rows a long list shows at once.
    static let pageSize = 100

    /// The pager's data for `page` of the list at `path`, keeping the request's other query
    /// parameters; nil when everything fits on one page.
    static func pager<Item>(_ page: Page<Item>, path: String, request: Request) -> [String: Any]? {
        pager(
            offset: page.offset, count: page.items.count, limit: page.limit, nextOffset: page.nextOffset,
            total: page.total, path: path, request: request)
    }

    /// The pager's data for a list that says whether more follow but not how many.
    static func pager(_ page: CandidatePage, path: String, request: Request) -> [String: Any]? {
        pager(
            offset: page.offset, count: page.items.count, limit: page.limit, nextOffset: page.nextOffset,
            total: nil, path: path, request: request)
    }

    private static func pager(
        offset: Int, count: Int, limit: Int, nextOffset: Int?, total: Int?, path: String, request: Request
    ) -> [String: Any]? {
        guard offset > 0 || nextOffset != nil else { return nil }
        func link(_ offset: Int) -> String {
            var components = URLComponents()
            components.path = path
            var items = request.uri.queryParameters.filter { $0.key != "offset" }.map {
                URLQueryItem(name: String($0.key), value: String($0.value))
            }
            .sorted { $0.name < $1.name }
            if offset > 0 { items.append(URLQueryItem(name: "offset", value: "\(offset)")) }
            components.queryItems = items.isEmpty ? nil : items
            return components.string ?? path
        }
        var data: [String: Any] = ["first": count == 0 ? 0 : offset + 1, "last": offset + count]
        if let total { data["total"] = total }
        if offset > 0 { data["previous"] = link(max(0, offset - limit)) }
        if let next = nextOffset { data["next"] = link(next) }
        return data
    }
}
