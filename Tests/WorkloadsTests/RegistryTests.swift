import Testing
@testable import Workloads
import Platform

/// Workloads declared outside bench join the registry; nothing here registers
/// one for real, because every suite of this process shares the registry
/// (the end-to-end test of Examples/SHA256Bench does, in its own process).
@Suite("Workload registry")
struct RegistryTests {
    @Test func aNameTakenAlreadyIsRefusedAndNothingIsAdded() {
        let before = WorkloadRegistry.names
        #expect(throws: WorkloadError.self) { try WorkloadRegistry.register([NoopWorkload.declaration]) }
        let twice = WorkloadDeclaration(name: "twice", kind: .cpu, summary: "", defaultTasks: 1, quickTasks: 1) { _ in NoopWorkload() }
        #expect(throws: WorkloadError.self, "a list that repeats a name adds none of it") { try WorkloadRegistry.register([twice, twice]) }
        #expect(WorkloadRegistry.names == before)
        #expect(WorkloadRegistry.builtIn.map(\.name) == before)
    }

    @Test func aWorkloadFromElsewhereHasNoPythonVersion() {
        let declaration = XorWorkload.declaration
        #expect(declaration.hasPythonVersion)
        let outside = declaration.withoutPythonVersion()
        #expect(!outside.hasPythonVersion)
        #expect(outside.name == declaration.name && outside.parameters.map(\.name) == declaration.parameters.map(\.name))
    }

    /// The distributed model asks the declaration, not a list of names,
    /// whether remote workers can run a workload's tasks.
    @Test func workloadsWhoseFixtureListensOnThisMachineSaySo() {
        let local = WorkloadRegistry.builtIn.filter { $0.fixture?.thisMachineOnly != nil }.map(\.name)
        #expect(Set(local) == ["print", "http", "crawl"])
    }
}
