import NIOCore

/// Runs Swift tasks on one NIO event loop. SQLite's single connection answers on its event
/// loop; a chain of statements awaited from this executor resumes right there, instead of
/// queueing in Swift's shared pool behind every request in flight — which, measured under
/// load, was most of what a statement cost (docs/benchmarks.md).
final class EventLoopExecutor: TaskExecutor, SerialExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute {
            job.runSynchronously(isolatedTo: self.asUnownedSerialExecutor(), taskExecutor: self.asUnownedTaskExecutor())
        }
    }

    func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }

    func checkIsolated() { loop.preconditionInEventLoop() }
}
