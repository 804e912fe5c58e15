import Glibc
import Synchronization

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
    // pthread primitives must not move in memory: allocated storage.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var published: [Int: [ImageLink]] = [:]
    private var producing = false
    private var failure: (any Error)?
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(pages: Int, phased: Bool) {
        self.pages = pages
        self.phased = phased
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// What a downloader that needs page `page`'s links does next.
    private enum Step {
        case links([ImageLink])
        case produce([Int])
        case wait
        case fail(any Error)
    }

    /// Caller holds `mutex`: page `page`'s links, once a downloader may have them.
    private func ready(_ page: Int) -> [ImageLink]? {
        guard let links = published[page], !phased || published.count == pages else { return nil }
        return links
    }

    /// Caller holds `mutex`: whether a downloader of `page` must wait for the producer.
    private func mustWait(_ page: Int) -> Bool {
        failure == nil && ready(page) == nil && producing
    }

    /// Caller holds `mutex`; when nobody produces what is needed, the caller becomes the producer.
    private func step(for page: Int) -> Step {
        if let failure { return .fail(failure) }
        if let links = ready(page) { return .links(links) }
        if producing { return .wait }
        producing = true
        return .produce(phased ? (0..<pages).filter { published[$0] == nil } : [page])
    }

    /// Caller holds `mutex`: wakes every waiter, blocking or async, to look again.
    private func broadcast() -> [CheckedContinuation<Void, Never>] {
        pthread_cond_broadcast(changed)
        defer { waiters.removeAll() }
        return waiters
    }

    private func publish(_ page: Int, _ links: [ImageLink]) {
        pthread_mutex_lock(mutex)
        published[page] = links
        let woken = broadcast()
        pthread_mutex_unlock(mutex)
        woken.forEach { $0.resume() }
    }

    private func endProducing(_ error: (any Error)?) {
        pthread_mutex_lock(mutex)
        producing = false
        if let error, failure == nil { failure = error }
        let woken = broadcast()
        pthread_mutex_unlock(mutex)
        woken.forEach { $0.resume() }
    }

    /// The links of `page`, blocking while another thread produces them.
    func links(page: Int, fetch: (Int) throws -> [ImageLink]) throws -> [ImageLink] {
        while true {
            pthread_mutex_lock(mutex)
            while mustWait(page) { pthread_cond_wait(changed, mutex) }
            let next = step(for: page)
            pthread_mutex_unlock(mutex)
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
            pthread_mutex_lock(mutex)
            let next = step(for: page)
            pthread_mutex_unlock(mutex)
            switch next {
            case let .links(links): return links
            case let .fail(error): throw error
            case .wait:
                await withCheckedContinuation { continuation in
                    pthread_mutex_lock(mutex)
                    // Published meanwhile: look again at once rather than wait for a publish that has been.
                    if mustWait(page) {
                        waiters.append(continuation)
                        pthread_mutex_unlock(mutex)
                    } else {
                        pthread_mutex_unlock(mutex)
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
        pthread_mutex_lock(mutex)
        published.removeAll()
        failure = nil
        pthread_mutex_unlock(mutex)
    }
}
