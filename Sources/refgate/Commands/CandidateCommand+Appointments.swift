import ArgumentParser
import Crypto
import Foundation
import RefGateCore
import RefGateNode

extension CandidateCommand {
    struct VerifiedOutside: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verified-outside",
            abstract: "Record a reference verified by telephone or in writing outside the exchange (paras 6–7).")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The candidate's registration (SW…, SCW-…, SSSC-…, NISCC-…).") var registration: String
        @Option(name: .customLong("case"), help: "The case it stands for, if the referee's authority is a member.")
        var caseID: String?
        @Option(help: "telephone, in-writing or telephone-and-writing.") var method: OfflineVerification.Method
        @Option(help: "The person you spoke or wrote to.") var verifiedWith: String
        @Option(help: "Their authority or employer.") var organisation: String
        @Option(help: "When (YYYY-MM-DD).") var on: String
        @Option(help: "A document to record the SHA-256 of (the written confirmation).") var document: String?

        func run() async throws {
            let digest = try document.map { path -> String in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read \(path)")
                }
                return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            }
            let status = try await APIClient(configurationPath: config).post(
                "/candidates/\(registration)/offline-verifications",
                OfflineVerificationInput(
                    caseId: caseID, method: method, verifiedWithName: verifiedWith,
                    verifiedWithOrganisation: organisation,
                    verifiedOn: on, documentSHA256: digest, recordedBy: nil),
                as: AppointmentGate.Status.self)
            print(CandidateCommand.text(status))
        }
    }

    struct Appoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the appointment; refused before clearance unless a head of service gives a reason.")

        @Option(help: "This node's configuration file.") var config: String
        @Option(help: "The candidate's registration.") var registration: String
        @Option(help: "The date of appointment (YYYY-MM-DD).") var on: String
        @Option(help: "A head of service's reason to record it before the candidate is cleared.")
        var overrideReason: String?
        @Option(help: "Who approved it (with the node's token).") var approvedBy: String?

        func run() async throws {
            let view = try await APIClient(configurationPath: config).post(
                "/candidates/\(registration)/appointments",
                AppointmentInput(
                    appointedOn: on, overrideReason: overrideReason,
                    approvedBy: approvedBy.map { Person(name: $0, role: "") }),
                as: AppointmentView.self)
            print(
                "appointment \(view.id) of \(view.registration) on \(view.appointedOn), approved by \(view.approvedBy.name)\(view.beforeClearance ? " — BEFORE CLEARANCE (head of service's override)" : "")"
            )
        }
    }

    struct Appointments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The appointments recorded; --before-clearance lists those made before clearance.")

        @Option(help: "This node's configuration file.") var config: String
        @Flag(help: "Only appointments made before the candidate was cleared.") var beforeClearance = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let list = try await APIClient(configurationPath: config).get(
                "/appointments?beforeClearance=\(beforeClearance)", as: [AppointmentView].self)
            if json {
                print(try Printing.json(list))
                return
            }
            if list.isEmpty { print("no appointments recorded") }
            for view in list {
                print(
                    "\(view.appointedOn)  \(view.registration)  approved by \(view.approvedBy.name)  \(view.beforeClearance ? "BEFORE CLEARANCE: \(view.overrideReason ?? "")" : "cleared")"
                )
            }
        }
    }
}

extension OfflineVerification.Method: ExpressibleByArgument {}
