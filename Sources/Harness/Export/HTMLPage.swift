import Foundation

/// One self-contained HTML page: inline CSS, charts inlined as data URIs,
/// a few lines of vanilla JavaScript to sort tables and hide models, and
/// nothing fetched from anywhere (the page's Content-Security-Policy says
/// so to the browser too).
///
/// Every piece of text that reaches it comes from a run (labels, parameters,
/// commands, host names) and is escaped here, once: callers hand it plain
/// text, never markup. Charts are embedded as `<img>` with an SVG data URI:
/// an SVG shown as an image runs no script and loads nothing, whatever it holds.
public struct HTMLPage: Sendable {
    /// A block of the page, in order.
    public enum Block: Sendable {
        case heading(String, level: Int, id: String? = nil)
        case paragraph(String)
        /// Lines kept as written (verdicts, fits), in a monospace block.
        case preformatted([String])
        case list([String])
        /// A sortable table; `rowModel` names each row's model (for the model toggles), nil for none.
        case table(Table)
        /// A chart: its caption and its SVG (or PNG) bytes.
        case chart(caption: String, file: String, bytes: [UInt8])
        /// Links to files beside the page: (text, relative path).
        case links([(text: String, href: String)])
        /// A highlighted note (a disturbed run, a missing tool).
        case warning(String)
    }

    /// A table of text cells; numeric-looking cells sort as numbers.
    public struct Table: Sendable {
        public var header: [String]
        public var rows: [[String]]
        /// Each row's model, for the toggles; empty when rows are not models.
        public var rowModels: [String]
        /// Columns whose text is left-aligned (the rest are right-aligned numbers).
        public var leftAligned: Set<Int>

        public init(header: [String], rows: [[String]], rowModels: [String] = [], leftAligned: Set<Int> = [0]) {
            self.header = header
            self.rows = rows
            self.rowModels = rowModels
            self.leftAligned = leftAligned
        }
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) {
        self.title = title
    }

    public mutating func append(_ block: Block) {
        blocks.append(block)
    }

    /// The models named by any table's rows, in first-seen order: one toggle each.
    var models: [String] {
        var seen: [String] = []
        for case let .table(table) in blocks {
            for model in table.rowModels where !model.isEmpty && !seen.contains(model) { seen.append(model) }
        }
        return seen
    }

    /// The whole document.
    public func render() -> String {
        var body = ""
        let models = models
        if models.count > 1 {
            body += "<fieldset class=\"toggles\"><legend>Models</legend>"
            for model in models {
                body += "<label><input type=\"checkbox\" checked data-toggle=\"\(Self.escape(model))\"> \(Self.escape(model))</label> "
            }
            body += "</fieldset>\n"
        }
        for block in blocks { body += Self.render(block) }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>\(Self.style)</style>
            </head><body>
            <h1>\(Self.escape(title))</h1>
            \(body)<script>\(Self.script)</script>
            </body></html>

            """
    }

    static func render(_ block: Block) -> String {
        switch block {
        case let .heading(text, level, id):
            let level = min(max(level, 2), 4)
            return "<h\(level)\(id.map { " id=\"\(escape($0))\"" } ?? "")>\(escape(text))</h\(level)>\n"
        case let .paragraph(text):
            return "<p>\(escape(text))</p>\n"
        case let .preformatted(lines):
            return "<pre>\(lines.map(escape).joined(separator: "\n"))</pre>\n"
        case let .list(items):
            return "<ul>" + items.map { "<li>\(escape($0))</li>" }.joined() + "</ul>\n"
        case let .table(table):
            return render(table)
        case let .chart(caption, file, bytes):
            let type = file.hasSuffix(".png") ? "image/png" : "image/svg+xml"
            return "<figure><img alt=\"\(escape(caption))\" src=\"data:\(type);base64,\(Data(bytes).base64EncodedString())\">"
                + "<figcaption>\(escape(caption)) (<a href=\"\(escape(file))\">\(escape(file))</a>)</figcaption></figure>\n"
        case let .links(links):
            return "<p class=\"links\">" + links.map { "<a href=\"\(escape($0.href))\">\(escape($0.text))</a>" }.joined(separator: " · ") + "</p>\n"
        case let .warning(text):
            return "<p class=\"warning\">\(escape(text))</p>\n"
        }
    }

    static func render(_ table: Table) -> String {
        var html = "<table class=\"sortable\"><thead><tr>"
        for (column, name) in table.header.enumerated() {
            html += "<th\(table.leftAligned.contains(column) ? " class=\"text\"" : "") title=\"sort\">\(escape(name))</th>"
        }
        html += "</tr></thead><tbody>\n"
        for (index, row) in table.rows.enumerated() {
            let model = index < table.rowModels.count ? table.rowModels[index] : ""
            html += model.isEmpty ? "<tr>" : "<tr data-model=\"\(escape(model))\">"
            for (column, cell) in row.enumerated() {
                html += "<td\(table.leftAligned.contains(column) ? " class=\"text\"" : "")>\(escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    /// Text as HTML text or attribute value: the five characters with a meaning there, escaped.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    static let style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
        h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ddd}
        table{border-collapse:collapse;margin:.5em 0;font-variant-numeric:tabular-nums}
        th,td{padding:.2em .6em;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
        th{cursor:pointer;background:#f6f6f6}th.text,td.text{text-align:left}
        th[data-order="asc"]::after{content:" ▲"}th[data-order="desc"]::after{content:" ▼"}
        pre{background:#f8f8f8;padding:.6em;overflow-x:auto}
        figure{display:inline-block;margin:.5em;vertical-align:top}figure img{width:560px;max-width:100%;height:auto;border:1px solid #eee}
        figcaption{font-size:.9em;color:#555}
        .warning{background:#fff3cd;border:1px solid #e0c060;padding:.5em}
        .toggles{position:sticky;top:0;background:#fff;border:1px solid #ddd;margin-bottom:1em}.toggles label{margin-right:1em;white-space:nowrap}
        """

    /// Sorting by a header click (numbers as numbers, `-` last) and hiding
    /// the rows of a model whose box is unticked; nothing else.
    static let script = """
        (function(){
        function key(cell){var t=cell.textContent.trim();var m=t.match(/^-?[0-9]+(\\.[0-9]+)?/);
        if(!m)return {n:false,t:t};var v=parseFloat(m[0]);var u=t.slice(m[0].length).trim();
        var scale={'ns':1e-9,'µs':1e-6,'ms':1e-3,'s':1}[u.split(' ')[0]];return {n:true,v:scale?v*scale:v};}
        document.querySelectorAll('table.sortable th').forEach(function(th,col){th.addEventListener('click',function(){
        var table=th.closest('table');var body=table.tBodies[0];var asc=th.dataset.order!=='asc';
        table.querySelectorAll('th').forEach(function(h){delete h.dataset.order;});th.dataset.order=asc?'asc':'desc';
        var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);
        var r=(x.n&&y.n)?x.v-y.v:(x.n?-1:(y.n?1:(x.t<y.t?-1:(x.t>y.t?1:0))));return asc?r:-r;});
        rows.forEach(function(r){body.appendChild(r);});});});
        document.querySelectorAll('input[data-toggle]').forEach(function(box){box.addEventListener('change',function(){
        document.querySelectorAll('tr[data-model]').forEach(function(row){if(row.dataset.model===box.dataset.toggle)row.hidden=!box.checked;});});});
        })();
        """
}
