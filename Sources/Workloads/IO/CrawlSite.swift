import LocalHTTP
import Platform

/// The small site the `crawl` workload crawls, served by bench's own server
/// beside `/task/<n>`: the wallpaper site of the seed's crawler (002), on
/// loopback. Every page has `links` wallpaper thumbnails; each thumbnail's
/// address leads, through the seed's own regular expression, to the full
/// image, `imageBytes` bytes. Any page number is served.
///
///     GET /browse/<p>/                            page p: HTML, about 12 KiB
///     GET /uploads/<p>/<p>-<k>-<token>.png        image k of page p
///
/// A page's HTML is real enough that finding its links is work: a head,
/// a navigation bar with a logo image, then per wallpaper a block with a
/// link, the thumbnail `<img src=".../<p>-<k>-<token>.png.295x184_q100.png"
/// title=... alt=...>` and a caption. The token is a function of p and k
/// that a client can only learn from the page, and an image asked for with
/// the wrong one is not found.
public struct CrawlSite: Sendable, Hashable {
    /// Wallpaper links per page.
    public let links: Int
    /// Bytes of every image.
    public let imageBytes: Int

    public init(links: Int, imageBytes: Int) {
        self.links = links
        self.imageBytes = imageBytes
    }

    /// The smallest image: the PNG signature and the image's own line.
    public static let minimumImageBytes = 64

    public static func pagePath(_ page: Int) -> String {
        "/browse/\(page)/"
    }

    /// 8 hex digits that only the page tells.
    public static func token(page: Int, slot: Int) -> String {
        let value = mix(UInt64(truncatingIfNeeded: page) &* 0x1_0000_0001 ^ UInt64(truncatingIfNeeded: slot) ^ 0xC4A7_15E5) & 0xFFFF_FFFF
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// What the downloaded image is saved as.
    public static func fileName(page: Int, slot: Int) -> String {
        "\(page)-\(slot)-\(token(page: page, slot: slot)).png"
    }

    public static func imagePath(page: Int, slot: Int) -> String {
        "/uploads/\(page)/\(fileName(page: page, slot: slot))"
    }

    /// The thumbnail's address on the page: the image's, with the thumbnail suffix.
    public static func thumbnailSource(page: Int, slot: Int) -> String {
        imagePath(page: page, slot: slot) + ".295x184_q100.png"
    }

    // MARK: - What the server sends

    /// The HTML of page `page`.
    public func page(_ page: Int) -> [UInt8] {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Simple Desktops · page \(page)</title>
            <link rel="stylesheet" href="/static/css/main.css" type="text/css">
            <meta name="description" content="Simple desktop wallpapers, page \(page).">
            </head>
            <body>
            <div id="header"><a href="/"><img src="/static/images/logo.png" alt="Simple Desktops" width="180" height="40"></a>
            <ul class="nav"><li><a href="/browse/">Browse</a></li><li><a href="/about/">About</a></li><li><a href="/submit/">Submit</a></li></ul>
            </div>
            <div id="content">

            """
        for slot in 0..<links {
            let title = "Wallpaper \(page)-\(slot)"
            html += """
                <div class="desktop">
                  <a href="/desktops/detail/\(page)-\(slot)/" title="\(title)">
                    <img src="\(Self.thumbnailSource(page: page, slot: slot))" title="\(title)" alt="\(title)" width="295" height="184">
                  </a>
                  <span class="creator">by <a href="/artists/\((page * 7 + slot) % 97)/">artist \((page * 7 + slot) % 97)</a></span>
                  <p class="caption">A quiet gradient with a single line across it, number \(slot) of page \(page); free for personal use.</p>
                </div>

                """
        }
        html += """
            </div>
            <div class="pagination"><a class="back" href="\(Self.pagePath(max(page - 1, 0)))">&larr; Back</a> <a class="more" href="\(Self.pagePath(page + 1))">More &rarr;</a></div>
            <div id="footer"><p>Simple Desktops is a collection of simple wallpapers. Every image is served by bench, on this machine.</p></div>
            </body>
            </html>

            """
        return Array(html.utf8)
    }

    /// The first bytes of image `slot` of page `page`: the PNG signature and a line naming it.
    public static func imagePrefix(page: Int, slot: Int) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("image \(page) \(slot) \(token(page: page, slot: slot))\n".utf8)
    }

    /// The bytes after every image's prefix, the same for all: `imageBytes` long, of which the tail is used.
    public func imagePattern() -> [UInt8] {
        HTTPBody.pattern(bytes: imageBytes)
    }

    /// Image `slot` of page `page`, whole, taking its tail from `pattern`.
    public func image(page: Int, slot: Int, pattern: [UInt8]) -> [UInt8] {
        var body = Self.imagePrefix(page: page, slot: slot)
        body.removeLast(max(0, body.count - imageBytes))
        body.append(contentsOf: pattern[body.count...])
        return body
    }

    /// What a request path asks the site for, if anything it has.
    enum Resource: Equatable {
        case page(Int)
        case image(page: Int, slot: Int)
    }

    /// `/browse/<p>/` or `/uploads/<p>/<p>-<k>-<token>.png` with the right token and k < links.
    func resource(_ text: String) -> Resource? {
        if text.hasPrefix("/browse/"), text.hasSuffix("/") {
            let number = text.dropFirst("/browse/".count).dropLast()
            return Self.number(number).map { .page($0) }
        }
        guard text.hasPrefix("/uploads/"), text.hasSuffix(".png") else { return nil }
        let parts = text.dropFirst("/uploads/".count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let page = Self.number(parts[0]) else { return nil }
        let name = parts[1].dropLast(".png".count).split(separator: "-", omittingEmptySubsequences: false)
        guard name.count == 3, Self.number(name[0]) == page, let slot = Self.number(name[1]), slot < links,
              name[2] == Self.token(page: page, slot: slot) else { return nil }
        return .image(page: page, slot: slot)
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 9, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    // MARK: - What a crawler does with a page

    /// The `src` of every `<img>` tag of an HTML page, in order.
    public static func imageSources(in html: [UInt8]) -> [String] {
        var sources: [String] = []
        var index = 0
        let count = html.count
        @inline(__always) func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
        while index + 4 < count {
            guard html[index] == UInt8(ascii: "<"), lower(html[index + 1]) == UInt8(ascii: "i"), lower(html[index + 2]) == UInt8(ascii: "m"),
                  lower(html[index + 3]) == UInt8(ascii: "g"), html[index + 4] == 32 || html[index + 4] == 10 || html[index + 4] == 9 else {
                index += 1
                continue
            }
            // Inside the tag: attributes up to '>', a quoted value may hold one.
            var cursor = index + 4
            while cursor < count && html[cursor] != UInt8(ascii: ">") {
                if lower(html[cursor]) == UInt8(ascii: "s"), cursor + 4 < count, lower(html[cursor + 1]) == UInt8(ascii: "r"),
                   lower(html[cursor + 2]) == UInt8(ascii: "c"), html[cursor + 3] == UInt8(ascii: "="),
                   html[cursor - 1] == 32 || html[cursor - 1] == 10 || html[cursor - 1] == 9 {
                    let quote = html[cursor + 4]
                    var end = cursor + 5
                    if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
                        while end < count && html[end] != quote { end += 1 }
                        sources.append(String(decoding: html[(cursor + 5)..<end], as: UTF8.self))
                        cursor = end + 1
                        continue
                    }
                }
                if html[cursor] == UInt8(ascii: "\"") || html[cursor] == UInt8(ascii: "'") {
                    let quote = html[cursor]
                    cursor += 1
                    while cursor < count && html[cursor] != quote { cursor += 1 }
                }
                cursor += 1
            }
            index = cursor
        }
        return sources
    }

    /// The seed's regular expression on a thumbnail's address,
    /// `(/uploads/\d+/(.*?png)).*?png`: the full image's path and its file
    /// name, or nil for an address that is not a wallpaper's (the logo).
    public static func fullImage(thumbnail source: String) -> (path: String, fileName: String)? {
        let utf8 = Array(source.utf8)
        let prefix = Array("/uploads/".utf8)
        var start = 0
        while start + prefix.count <= utf8.count {
            defer { start += 1 }
            guard utf8[start..<(start + prefix.count)].elementsEqual(prefix) else { continue }
            var cursor = start + prefix.count
            let digits = cursor
            while cursor < utf8.count && utf8[cursor] >= 48 && utf8[cursor] <= 57 { cursor += 1 }
            guard cursor > digits, cursor < utf8.count, utf8[cursor] == UInt8(ascii: "/") else { continue }
            let nameStart = cursor + 1
            // (.*?png): the shortest run ending in "png", then .*?png: another "png" after it.
            guard let first = find("png", in: utf8, from: nameStart), find("png", in: utf8, from: first + 3) != nil else { continue }
            let end = first + 3
            return (String(decoding: utf8[start..<end], as: UTF8.self), String(decoding: utf8[nameStart..<end], as: UTF8.self))
        }
        return nil
    }

    private static func find(_ needle: String, in bytes: [UInt8], from start: Int) -> Int? {
        let target = Array(needle.utf8)
        var index = start
        while index + target.count <= bytes.count {
            if bytes[index..<(index + target.count)].elementsEqual(target) { return index }
            index += 1
        }
        return nil
    }
}
