import Dispatch
import Foundation
import GroupSMSJobs
import Synchronization

/// Turns SIGINT and SIGTERM into a raised `RunnerStopSignal`, so runners stop claiming and
/// settle what is in flight. A second signal exits at once (status 130); in-flight chunks then
/// stay in flight and become unconfirmed at the next resume, so nothing is sent twice.
final class TerminationSignals: Sendable {
    /// The signal the runners watch.
    let stop = RunnerStopSignal()
    /// The installed sources; Dispatch does not mark them Sendable, so they sit behind a lock
    /// (only `init` and `deinit` touch them).
    private let sources: Mutex<[any DispatchSourceSignal]>

    /// Installs the handlers; `onFirst` is called once when the first signal arrives.
    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        let stop = self.stop
        let installed = [SIGINT, SIGTERM].map { sig -> any DispatchSourceSignal in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if stop.isRaised { exit(130) }
                stop.raise()
                onFirst(sig)
            }
            source.resume()
            return source
        }
        sources = Mutex(installed)
    }

    deinit {
        sources.withLock { $0.forEach { $0.cancel() } }
    }
}
