import ArgumentParser
import Foundation
import RefGateCore

struct CalendarCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract:
            "Check the working-time calendar: Europe/London, Mon–Fri working hours, England and Wales bank holidays.",
        subcommands: [Holidays.self, Add.self])

    /// Options shared by the calendar commands.
    struct CalendarOptions: ParsableArguments {
        @Option(help: "GOV.UK bank-holidays.json; the years it lists replace the rules.") var holidaysFile: String?
        @Option(help: "Start of the working day (HH:MM, London time).") var dayStart = "09:00"
        @Option(help: "End of the working day (HH:MM, London time).") var dayEnd = "17:00"

        func calendar() throws -> WorkingCalendar {
            var holidays = BankHolidays()
            if let holidaysFile {
                guard let data = FileManager.default.contents(atPath: holidaysFile) else {
                    throw RefGateError(.invalidInput, "cannot read the bank holidays file \(holidaysFile)")
                }
                holidays = try BankHolidays(govUKJSON: data)
            }
            return try WorkingCalendar(dayStart: dayStart, dayEnd: dayEnd, holidays: holidays)
        }
    }

    struct Holidays: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a year's England and Wales bank holidays, one ISO date a line.")

        @Argument(help: "The year.") var year: Int
        @Flag(help: "Also print each holiday's name.") var names = false
        @OptionGroup var options: CalendarOptions

        func run() async throws {
            guard (1900...9999).contains(year) else {
                throw RefGateError(.invalidInput, "year must be between 1900 and 9999")
            }
            for holiday in try options.calendar().holidays.holidays(in: year) {
                print(names ? "\(holiday.date)  \(holiday.title)" : holiday.date.description)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add working days or hours to an instant and print the resulting instant (ISO 8601, UTC).")

        @Option(help: "The starting instant, e.g. 2026-11-23T15:00:00Z.") var from: String
        @Option(help: "Working days to add (a working day is one working-day length of working time).")
        var workingDays: Double?
        @Option(help: "Working hours to add.") var workingHours: Double?
        @OptionGroup var options: CalendarOptions

        func validate() throws {
            guard (workingDays == nil) != (workingHours == nil) else {
                throw ValidationError("give exactly one of --working-days or --working-hours")
            }
            if let amount = workingDays ?? workingHours, amount < 0 || !amount.isFinite {
                throw ValidationError("the amount must be zero or more")
            }
        }

        func run() async throws {
            guard let start = MessageCoding.parseInstant(from) else {
                throw RefGateError(
                    .invalidInput,
                    "--from '\(from)' is not an ISO 8601 instant with an offset, e.g. 2026-11-23T15:00:00Z")
            }
            let calendar = try options.calendar()
            let result =
                if let days = workingDays {
                    calendar.adding(workingDays: days, to: start)
                } else {
                    calendar.adding(workingHours: workingHours ?? 0, to: start)
                }
            print(MessageCoding.formatInstant(result))
        }
    }
}
