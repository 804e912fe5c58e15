import Glibc
import LocalHTTP
import Platform

/// `bench-worker serve`: the `http` and `crawl` workloads' server as bench's child. It
/// prints its URL as the first line on standard output, serves until its
/// standard input reaches its end (bench closed it, or died), and ignores
/// Ctrl-C and SIGTERM sent to bench's group: bench decides when it stops.
public enum HTTPServerChild {
    public static let role = "serve"

    /// Runs the server; returns the exit status.
    public static func run(_ arguments: [String]) -> Int32 {
        Signals.ignore(Signals.stopSignals)
        let defaults = HTTPServer.Configuration()
        var latency = defaults.latencyMilliseconds
        var bytes = defaults.bodyBytes
        var links = CrawlSite.declaredDefault.links
        var imageBytes = CrawlSite.declaredDefault.imageBytes
        var words = arguments[...]
        while let flag = words.popFirst() {
            guard let text = words.popFirst() else { return fail("\(flag) needs a value") }
            do {
                switch flag {
                case HTTPWorkload.latencyParameter.flag: latency = try HTTPWorkload.latencyParameter.parse(text).number ?? latency
                case HTTPWorkload.bytesParameter.flag: bytes = try HTTPWorkload.bytesParameter.parse(text).number ?? bytes
                case CrawlWorkload.linksParameter.flag: links = try CrawlWorkload.linksParameter.parse(text).number ?? links
                case CrawlWorkload.imageBytesParameter.flag:
                    imageBytes = try CrawlWorkload.imageBytesParameter.parse(text).number ?? imageBytes
                default: return fail("unknown option \(flag)")
                }
            } catch {
                return fail(error.description)
            }
        }
        let server: HTTPServer
        do {
            server = try HTTPServer(.init(
                latencyMilliseconds: latency, bodyBytes: bytes, site: CrawlSite(links: links, imageBytes: imageBytes)))
        } catch {
            return fail(error.description)
        }
        guard FileDescriptor.writeAll(1, server.url + "\n") == nil else {
            server.stop()
            return 1
        }
        // End of file (or an error) means the parent has gone.
        ParentDeath.waitForEndOfInput()
        server.stop()
        return 0
    }

    private static func fail(_ message: String) -> Int32 {
        FileDescriptor.writeAll(2, "bench-worker serve: \(message)\n")
        return 64
    }
}
