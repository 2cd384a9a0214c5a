#if !FUZZING
    import Foundation

    /// Without libFuzzer (a plain build), replays inputs: `refgate-fuzz FILE…` runs each file
    /// through the fuzz entry point, so a finding can be reproduced under a debugger.
    @main
    enum Replay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("refgate-fuzz: cannot read \(path)")
                    continue
                }
                _ = data.withUnsafeBytes { raw in
                    fuzzPeerInput(
                        raw.bindMemory(to: UInt8.self).baseAddress ?? UnsafePointer(bitPattern: 1)!, data.count)
                }
                print("ran \(path) (\(data.count) bytes)")
            }
        }
    }
#endif
