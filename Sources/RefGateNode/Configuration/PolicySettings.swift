/// The `policy` section of a node's configuration; omitted values take the procedure's defaults.
///
/// ```json
/// "policy": {
///   "responseWorkingDays": 2, "level1WorkingDays": 2, "level2WorkingDays": 3,
///   "amberWorkingDays": 1, "reminderWorkingHours": 4,
///   "workingDayStart": "09:00", "workingDayEnd": "17:00",
///   "bankHolidaysFile": "bank-holidays.json"
/// }
/// ```
public struct PolicySettings: Codable, Sendable {
    /// Working days to respond (default 2).
    public var responseWorkingDays: Double?
    /// Working days for an answer at L1, service manager to service manager (default 2).
    public var level1WorkingDays: Double?
    /// Working days for an answer at L2, head of service to head of service (default 3).
    public var level2WorkingDays: Double?
    /// A deadline within this many working days is amber (default 1).
    public var amberWorkingDays: Double?
    /// Working hours between reminders of an unacknowledged escalation (default 4).
    public var reminderWorkingHours: Double?
    /// Start of the working day, London time (default 09:00).
    public var workingDayStart: String?
    /// End of the working day, London time (default 17:00).
    public var workingDayEnd: String?
    /// GOV.UK `bank-holidays.json`; years it lists override the built-in rules.
    public var bankHolidaysFile: String?

    /// Creates settings.
    public init(
        responseWorkingDays: Double? = nil, level1WorkingDays: Double? = nil, level2WorkingDays: Double? = nil,
        amberWorkingDays: Double? = nil, reminderWorkingHours: Double? = nil, workingDayStart: String? = nil,
        workingDayEnd: String? = nil, bankHolidaysFile: String? = nil
    ) {
        self.responseWorkingDays = responseWorkingDays
        self.level1WorkingDays = level1WorkingDays
        self.level2WorkingDays = level2WorkingDays
        self.amberWorkingDays = amberWorkingDays
        self.reminderWorkingHours = reminderWorkingHours
        self.workingDayStart = workingDayStart
        self.workingDayEnd = workingDayEnd
        self.bankHolidaysFile = bankHolidaysFile
    }
}
