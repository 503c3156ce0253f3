import Foundation
import Testing
@testable import GroupSMSModel

@Suite struct ScheduleRulesTests {
    let start = Date(timeIntervalSince1970: 1_796_115_600)  // 2026-12-01T09:00:00Z
    let rules = ScheduleRules()

    @Test func cancelIsAcceptedUntilOneSecondBeforeTheFiveMinuteMark() throws {
        try rules.checkCancel(job: "job-1", state: .scheduled, start: start, now: start.addingTimeInterval(-3600))
        try rules.checkCancel(job: "job-1", state: .scheduled, start: start, now: start.addingTimeInterval(-301))
        try rules.checkCancel(job: "job-1", state: .scheduled, start: start, now: start.addingTimeInterval(-300.001))
    }

    @Test(arguments: [-300.0, -299, -1, 0, 60])
    func cancelIsRefusedFromTheFiveMinuteMarkOn(offset: Double) {
        let now = start.addingTimeInterval(offset)
        #expect(throws: ScheduleError.windowClosed(action: "cancel", job: "job-1", start: start,
                                                   closedAt: start.addingTimeInterval(-300))) {
            try rules.checkCancel(job: "job-1", state: .scheduled, start: start, now: now)
        }
    }

    @Test func refusalSaysWhenTheWindowClosedAndWhy() {
        let error = ScheduleError.windowClosed(action: "reschedule", job: "job-4", start: start,
                                               closedAt: rules.windowCloses(forStart: start))
        #expect(error.description.contains("5 minutes before it starts"))
        #expect(error.description.contains("FAQ 9.4"))
        #expect(error.description.contains(ScheduleRules.display(start.addingTimeInterval(-300))))
        #expect(error.description.contains("groupsms pause job-4"))
    }

    @Test func rescheduleHasTheSameWindowAndRefusesPastStarts() throws {
        try rules.checkReschedule(job: "job-1", state: .scheduled, start: start, newStart: start.addingTimeInterval(600),
                                  now: start.addingTimeInterval(-301))
        #expect(throws: ScheduleError.self) {
            try rules.checkReschedule(job: "job-1", state: .scheduled, start: start,
                                      newStart: start.addingTimeInterval(600), now: start.addingTimeInterval(-300))
        }
        #expect(throws: ScheduleError.startInPast(start: start.addingTimeInterval(-7200), now: start.addingTimeInterval(-3600))) {
            try rules.checkReschedule(job: "job-1", state: .scheduled, start: start,
                                      newStart: start.addingTimeInterval(-7200), now: start.addingTimeInterval(-3600))
        }
    }

    @Test(arguments: [JobState.running, .paused, .finished, .cancelled, .failed])
    func startedOrEndedJobsCannotBeCancelled(state: JobState) {
        #expect(throws: ScheduleError.alreadyStarted(action: "cancel", job: "job-2", state: state)) {
            try rules.checkCancel(job: "job-2", state: state, start: start, now: start.addingTimeInterval(-3600))
        }
        let message = ScheduleError.alreadyStarted(action: "cancel", job: "job-2", state: state).description
        if state == .running || state == .paused { #expect(message.contains("pause")) }
    }

    @Test func jobStateTransitions() {
        #expect(JobState.scheduled.canMove(to: .cancelled))
        #expect(JobState.running.canMove(to: .paused))
        #expect(!JobState.running.canMove(to: .cancelled))
        #expect(!JobState.paused.canMove(to: .cancelled))
        #expect(JobState.paused.canMove(to: .running))
        for terminal in [JobState.finished, .cancelled, .failed] {
            #expect(terminal.isTerminal)
            #expect(terminal.allowedNextStates.isEmpty)
        }
    }
}
