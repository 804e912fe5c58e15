/// A program run for what it prints: started with its standard output on a
/// pipe, read to the end (the program has then closed it, normally by
/// ending), and left to be waited for by the caller, who decides how long.
extension ChildProcess {
    /// `mergingStandardError` sends stderr into the same pipe (one pipe read
    /// to its end cannot deadlock); otherwise stderr is captured as usual.
    public static func capturingOutput(
        executable: String, arguments: [String], mergingStandardError: Bool = false
    ) throws -> (child: ChildProcess, output: [UInt8]) {
        let output = try FileDescriptor.makePipe()
        let child: ChildProcess
        do {
            child = try ChildProcess(
                executable: executable, arguments: arguments, standardOutput: output.write, captureStandardError: !mergingStandardError,
                extraDescriptors: mergingStandardError ? [(child: Int32(2), parent: output.write)] : [])
        } catch {
            FileDescriptor.close(output.read)
            FileDescriptor.close(output.write)
            throw error
        }
        FileDescriptor.close(output.write)
        let (bytes, _) = FileDescriptor.readToEnd(output.read)
        FileDescriptor.close(output.read)
        return (child, bytes)
    }
}
