import Engine
import Foundation

/// The charts summary.csv supports, dataset by dataset: a dataset is the
/// rows of one workload with one parameter set, task count, CPU set and
/// interpreter (work and work_unit too, for runs older than `params`).
/// Each gets a wall, cpu and memory chart; speedup and efficiency with a
/// serial cell; latency for io workloads with task percentiles; a heatmap
/// for each grid model (processes x threads) with more than one shape.
/// A workload measured on several CPU sets gets a cores chart, one whose
/// datasets differ in one numeric parameter a scan.
struct ChartDatasets {
    /// One dataset: its key columns, as summary.csv has them.
    private struct Dataset {
        let workload, kind, params, tasks, work, unit, cpus, interpreter: String
        /// Its rows' positions in summary.csv, in the file's order.
        var rows: [Int] = []
        var hasSpeedup = false
        var hasLatency = false
        /// Per grid model: the distinct processes and threads of its rows, in order.
        var grids: [String: (processes: [String], threads: [String])] = [:]

        /// The (name, value) pairs that tell the datasets of a workload apart:
        /// its params, else (older runs) work_unit=work; tasks, cpus and interpreter.
        var pairs: [(name: String, value: String)] {
            let list = params.isEmpty && !work.isEmpty ? "\(unit)=\(work)" : params
            var pairs: [(String, String)] = list.isEmpty ? [] : list.split(separator: ";", omittingEmptySubsequences: false).map { part in
                guard let equals = part.firstIndex(of: "=") else { return (String(part), "") }
                return (String(part[..<equals]), String(part[part.index(after: equals)...]))
            }
            pairs.append(("tasks", tasks))
            if !cpus.isEmpty { pairs.append(("cpus", cpus)) }
            if !interpreter.isEmpty { pairs.append(("interpreter", interpreter)) }
            return pairs
        }

        /// What a chart's second title line says about the dataset.
        var heading: String {
            workload + (kind.isEmpty ? "" : " (\(kind))") + ": \(tasks) tasks"
        }
    }

    private(set) var keyOrder: [String] = []
    private(set) var entries: [ChartPlan.Entry] = []
    /// The data file of each chart: its name in plots/data/ and the positions of its rows in summary.csv.
    private(set) var files: [(name: String, rows: [Int])] = []

    init(_ summary: ChartTable, catalog: [any ConcurrencyModel] = ModelCatalog.all) {
        let gridModels = Set(catalog.filter(Self.spansGrid).map(\.name))
        var datasets: [Dataset] = []
        var index: [[String]: Int] = [:]
        var seenModels: [String] = []
        for (position, (_, fields)) in summary.rows.enumerated() {
            let value = { summary.value($0, in: fields) }
            let key = ["workload", "params", "tasks", "work", "work_unit", "cpus", "interpreter"].map(value)
            let at = index[key] ?? {
                datasets.append(Dataset(
                    workload: key[0], kind: value("kind"), params: key[1], tasks: key[2], work: key[3], unit: key[4], cpus: key[5], interpreter: key[6]))
                index[key] = datasets.count - 1
                return datasets.count - 1
            }()
            datasets[at].rows.append(position)
            if !value("speedup").isEmpty { datasets[at].hasSpeedup = true }
            if !value("task_p50_s").isEmpty || !value("task_p99_s").isEmpty { datasets[at].hasLatency = true }
            let model = value("model")
            if !seenModels.contains(model) { seenModels.append(model) }
            if gridModels.contains(model) && !value("threads").isEmpty {
                var grid = datasets[at].grids[model] ?? ([], [])
                if !grid.processes.contains(value("processes")) { grid.processes.append(value("processes")) }
                if !grid.threads.contains(value("threads")) { grid.threads.append(value("threads")) }
                datasets[at].grids[model] = grid
            }
        }
        keyOrder = Self.keyOrder(seenModels, catalog: catalog)
        let gridOrder = catalog.map(\.name).filter(gridModels.contains)
        var usedNames: Set<String> = []
        var workloads: [String] = []
        for dataset in datasets where !workloads.contains(dataset.workload) { workloads.append(dataset.workload) }
        for workload in workloads {
            let members = datasets.indices.filter { datasets[$0].workload == workload }
            let values = Dictionary(uniqueKeysWithValues: members.map { member in
                (member, Dictionary(datasets[member].pairs, uniquingKeysWith: { first, _ in first }))
            })
            // Which pair names vary between the workload's datasets, in the order they first appear.
            var names: [String] = []
            for member in members { for pair in datasets[member].pairs where !names.contains(pair.name) { names.append(pair.name) } }
            let varying = names.filter { name in Set(members.map { values[$0]?[name] ?? "\u{1}" }).count > 1 }
            for member in members {
                let dataset = datasets[member]
                var slug = workload
                var extra = ""
                for name in varying {
                    let value = values[member]?[name] ?? ""
                    // The Swift cells beside an interpreter axis have none: their charts keep the plain name.
                    if name == "interpreter" && value.isEmpty { continue }
                    slug += "-\(name)_\(value)"
                    // Said in the subtitle unless the task count or the work says it.
                    if name != "tasks" && value != dataset.work { extra += (extra.isEmpty ? " · " : "; ") + "\(name)=\(value)" }
                }
                slug = Self.safeName(slug)
                if usedNames.contains(slug) { slug += "-\(member + 1)" }
                usedNames.insert(slug)
                var subtitle = dataset.heading
                if !dataset.work.isEmpty { subtitle += " × \(dataset.work)" + (dataset.unit.isEmpty ? "" : " \(dataset.unit)") }
                subtitle += extra
                let selection = [dataset.tasks, dataset.work, dataset.unit, dataset.cpus, dataset.interpreter].joined(separator: "|")
                let data = "dataset-\(slug).csv"
                files.append((data, dataset.rows))
                let chart = { (kind: String, script: String, extra: String) in
                    ChartPlan.Entry.chart(.init(
                        name: "\(kind)-\(slug)", script: script, data: data, subtitle: subtitle, workload: workload, params: dataset.params,
                        selection: selection, extra: extra))
                }
                entries.append(chart("wall", "wall.gp", ""))
                if dataset.hasSpeedup {
                    entries += [chart("speedup", "speedup.gp", ""), chart("efficiency", "efficiency.gp", "")]
                } else {
                    entries.append(.note("no speedup or efficiency chart for \(slug): it has no serial cell to compare with"))
                }
                entries += [chart("cpu", "cpu.gp", ""), chart("memory", "memory.gp", "")]
                if dataset.hasLatency && dataset.kind == "io" { entries.append(chart("latency", "latency.gp", "")) }
                for model in gridOrder {
                    if let grid = dataset.grids[model], grid.processes.count > 1 || grid.threads.count > 1 {
                        entries.append(chart(model, "hybrid.gp", model))
                    }
                }
            }
            let first = datasets[members[0]]
            // The cores and scan charts compare the workload's datasets: they read all its rows.
            let workloadData = "workload-\(Self.safeName(workload))-\(workloads.firstIndex(of: workload)! + 1).csv"
            let workloadRows = members.flatMap { datasets[$0].rows }.sorted()
            let speedup = members.contains { datasets[$0].hasSpeedup }
            let perLine = "\(first.heading); one line per model and worker count"
            // The cores axis (--cpus given more than once): speedup against the number of cores,
            // one line per model, which an interpreter axis would mix.
            let cpuSets = Set(members.map { datasets[$0].cpus }.filter { !$0.isEmpty })
            let interpreters = Set(members.map { datasets[$0].interpreter }.filter { !$0.isEmpty })
            if cpuSets.count > 1 && speedup {
                if interpreters.count > 1 {
                    entries.append(.note("no cores chart for \(workload): it has several interpreters (--python LIST), which one line per model would mix"))
                } else {
                    if files.last?.name != workloadData { files.append((workloadData, workloadRows)) }
                    entries.append(.chart(.init(
                        name: "cores-\(Self.safeName(workload))", script: "cores.gp", data: workloadData, subtitle: perLine, workload: workload, params: first.params,
                        selection: first.tasks, extra: "")))
                }
            }
            // The scan: datasets that differ in one numeric parameter only.
            guard varying.count == 1, let scanned = varying.first, scanned != "tasks", summary.has("params"), speedup else { continue }
            guard members.allSatisfy({ values[$0]?[scanned].map(ChartTable.isNumber) ?? false }) else { continue }
            if files.last?.name != workloadData { files.append((workloadData, workloadRows)) }
            entries.append(.chart(.init(
                name: "scan-\(Self.safeName("\(workload)-\(scanned)"))", script: "scan.gp", data: workloadData, subtitle: perLine, workload: workload, params: scanned,
                selection: first.tasks, extra: "")))
        }
    }

    /// Whether a model's cells span processes x threads (a heatmap's grid),
    /// as its declared shapes say for two worker and two process counts.
    static func spansGrid(_ model: any ConcurrencyModel) -> Bool {
        let shapes = model.shapes(workers: [1, 2], processes: [1, 2])
        return Set(shapes.map(\.processes)).count > 1 && Set(shapes.compactMap(\.threads)).count > 1
    }

    /// The key's order: the catalog's models of each language side by side
    /// (a Swift model, then its Python twin, which the catalog declares in the
    /// same order under the Python baseline), then any other model as the run has them.
    static func keyOrder(_ seen: [String], catalog: [any ConcurrencyModel]) -> [String] {
        var baselines: [String] = []
        for model in catalog where !baselines.contains(model.baseline) { baselines.append(model.baseline) }
        let languages = baselines.map { baseline in catalog.filter { $0.baseline == baseline }.map(\.name) }
        var order: [String] = []
        for position in 0..<(languages.map(\.count).max() ?? 0) {
            for language in languages where position < language.count && seen.contains(language[position]) {
                order.append(language[position])
            }
        }
        return order + seen.filter { !order.contains($0) }
    }

    /// A chart name from a dataset's words: anything but letters, digits and . _ - becomes _.
    static func safeName(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar)) ? Character(scalar) : "_"
        })
    }
}
