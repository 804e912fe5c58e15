import Platform

/// One image link found on a page: where to download it, what to save it as.
public struct ImageLink: Sendable, Equatable {
    public let path: String
    public let fileName: String
}

/// The crawl's producer and its queue of links, in one process: the pages
/// fetched so far and the links found on them, handed to the downloaders
/// (the model's threads, tasks or processes) as they ask.
///
/// There is one producer at a time: the first downloader that needs links no
/// one has yet becomes it, fetches and parses pages in order, publishes each
/// page's links as soon as it has them, and goes back to downloading; the
/// others wait for what they need. `phased` (the seed's pipeline): nobody
/// downloads before every page has been read, so the producer reads them
/// all at once. `overlapped`: a downloader waits only for its own page.
/// Processes share nothing, so each process of a pool reads the pages it
/// needs itself (all of them, phased).
final class LinkBook: @unchecked Sendable {
    let pages: Int
    let phased: Bool
    private let state = LockedCondition()
    // Guarded by `state`.
    private var published: [Int: [ImageLink]] = [:]
    private var producing = false
    private var failure: (any Error)?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(pages: Int, phased: Bool) {
        self.pages = pages
        self.phased = phased
    }

    /// What a downloader that needs page `page`'s links does next.
    private enum Step {
        case links([ImageLink])
        case produce([Int])
        case wait
        case fail(any Error)
    }

    /// Caller holds `state`: page `page`'s links, once a downloader may have them.
    private func ready(_ page: Int) -> [ImageLink]? {
        guard let links = published[page], !phased || published.count == pages else { return nil }
        return links
    }

    /// Caller holds `state`: whether a downloader of `page` must wait for the producer.
    private func mustWait(_ page: Int) -> Bool {
        failure == nil && ready(page) == nil && producing
    }

    /// Caller holds `state`; when nobody produces what is needed, the caller becomes the producer.
    private func step(for page: Int) -> Step {
        if let failure { return .fail(failure) }
        if let links = ready(page) { return .links(links) }
        if producing { return .wait }
        producing = true
        return .produce(phased ? (0..<pages).filter { published[$0] == nil } : [page])
    }

    /// Caller holds `state`: wakes every waiter, blocking or async, to look again.
    private func broadcast() -> [CheckedContinuation<Void, Never>] {
        state.broadcast()
        defer { waiters.removeAll() }
        return waiters
    }

    private func publish(_ page: Int, _ links: [ImageLink]) {
        state.lock()
        published[page] = links
        let woken = broadcast()
        state.unlock()
        woken.forEach { $0.resume() }
    }

    private func endProducing(_ error: (any Error)?) {
        state.lock()
        producing = false
        if let error, failure == nil { failure = error }
        let woken = broadcast()
        state.unlock()
        woken.forEach { $0.resume() }
    }

    /// The links of `page`, blocking while another thread produces them.
    func links(page: Int, fetch: (Int) throws -> [ImageLink]) throws -> [ImageLink] {
        while true {
            state.lock()
            while mustWait(page) { state.wait() }
            let next = step(for: page)
            state.unlock()
            switch next {
            case let .links(links): return links
            case let .fail(error): throw error
            case .wait: continue
            case let .produce(needed):
                do {
                    for wanted in needed { publish(wanted, try fetch(wanted)) }
                    endProducing(nil)
                } catch {
                    endProducing(error)
                    throw error
                }
            }
        }
    }

    /// The links of `page`, suspending (never blocking a thread) while another task produces them.
    func links(page: Int, fetch: (Int) async throws -> [ImageLink]) async throws -> [ImageLink] {
        while true {
            state.lock()
            let next = step(for: page)
            state.unlock()
            switch next {
            case let .links(links): return links
            case let .fail(error): throw error
            case .wait:
                await withCheckedContinuation { continuation in
                    state.lock()
                    // Published meanwhile: look again at once rather than wait for a publish that has been.
                    if mustWait(page) {
                        waiters.append(continuation)
                        state.unlock()
                    } else {
                        state.unlock()
                        continuation.resume()
                    }
                }
            case let .produce(needed):
                do {
                    for wanted in needed { publish(wanted, try await fetch(wanted)) }
                    endProducing(nil)
                } catch {
                    endProducing(error)
                    throw error
                }
            }
        }
    }

    /// Forgets every page: the next sample crawls the site again.
    func reset() {
        state.lock()
        published.removeAll()
        failure = nil
        state.unlock()
    }
}
