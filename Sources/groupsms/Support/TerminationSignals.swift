import Dispatch
import Foundation
import GroupSMSJobs

/// Turns SIGINT and SIGTERM into a raised `RunnerStopSignal`, so runners stop claiming and
/// settle what is in flight. A second signal exits at once (status 130); in-flight chunks then
/// stay in flight and become unconfirmed at the next resume, so nothing is sent twice.
final class TerminationSignals: Sendable {
    /// The signal the runners watch.
    let stop = RunnerStopSignal()
    nonisolated(unsafe) private var sources: [any DispatchSourceSignal] = []

    /// Installs the handlers; `onFirst` is called once when the first signal arrives.
    init(onFirst: @escaping @Sendable (Int32) -> Void) {
        let stop = self.stop
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                if stop.isRaised { exit(130) }
                stop.raise()
                onFirst(sig)
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        sources.forEach { $0.cancel() }
    }
}
