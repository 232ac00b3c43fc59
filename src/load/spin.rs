//! How long an idle lane keeps polling for events before it sleeps. On a virtual machine a
//! sleeping thread's CPU halts, and the server's write that wakes it costs the *server's* CPU an
//! interrupt to another CPU and a scheduler wake-up: against a saturated local server that
//! answers every few microseconds, a lane that sleeps between answers (once per six requests at
//! `--http2 -c 10 --streams 10` against nginx) takes a share of the server's time that a lane
//! that keeps polling leaves to answering. The window adapts as KVM's halt-polling does: it
//! doubles when the lane slept and was woken within the longest window (polling would have
//! caught that event) and halves when it slept longer, so a paced or slow run, whose events are
//! far apart, soon stops polling at all.

use std::time::{Duration, Instant};

/// The longest an idle lane polls before it sleeps.
const MAX_WINDOW: Duration = Duration::from_millis(1);
/// The window a lane starts polling with again after it had shrunk to nothing.
const MIN_WINDOW: Duration = Duration::from_micros(10);

pub struct Spin {
    window: Duration,
    last_work: Instant,
    /// When the lane last gave up polling and went to sleep, until work wakes it.
    slept_at: Option<Instant>,
}

impl Spin {
    pub fn new(now: Instant) -> Self {
        Self {
            window: Duration::ZERO,
            last_work: now,
            slept_at: None,
        }
    }

    /// Called at the end of each poll of the lane that found it idle, `worked` saying whether
    /// that poll had anything to do: whether to poll again at once rather than sleep.
    pub fn keep_polling(&mut self, now: Instant, worked: bool) -> bool {
        if worked {
            if let Some(slept_at) = self.slept_at.take() {
                self.window = match now.saturating_duration_since(slept_at) < MAX_WINDOW {
                    true => (self.window * 2).clamp(MIN_WINDOW, MAX_WINDOW),
                    false if self.window / 2 < MIN_WINDOW => Duration::ZERO,
                    false => self.window / 2,
                };
            }
            self.last_work = now;
            return !self.window.is_zero();
        }
        if now.saturating_duration_since(self.last_work) < self.window {
            return true;
        }
        self.slept_at.get_or_insert(now);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn micros(n: u64) -> Duration {
        Duration::from_micros(n)
    }

    #[test]
    fn a_new_lane_sleeps_at_once_until_a_short_sleep_shows_polling_would_pay() {
        let start = Instant::now();
        let mut spin = Spin::new(start);
        assert!(!spin.keep_polling(start, true), "no window yet");
        assert!(!spin.keep_polling(start, false));
        // Woken 200 µs after it slept: within the longest window, so it polls from now on.
        let woken = start + micros(200);
        assert!(spin.keep_polling(woken, true));
        assert_eq!(spin.window, MIN_WINDOW);
        assert!(spin.keep_polling(woken + micros(9), false));
        assert!(
            !spin.keep_polling(woken + micros(10), false),
            "the window is over"
        );
    }

    #[test]
    fn the_window_doubles_with_each_short_sleep_up_to_the_longest() {
        let mut now = Instant::now();
        let mut spin = Spin::new(now);
        assert!(!spin.keep_polling(now, false));
        let mut windows = Vec::new();
        for _ in 0..10 {
            // Woken 100 µs after it slept; then idle past its window, and asleep again.
            now += micros(100);
            assert!(spin.keep_polling(now, true));
            windows.push(spin.window);
            now += spin.window;
            assert!(!spin.keep_polling(now, false));
        }
        assert_eq!(
            windows[..4],
            [micros(10), micros(20), micros(40), micros(80)]
        );
        assert_eq!(
            windows[6..],
            [micros(640), MAX_WINDOW, MAX_WINDOW, MAX_WINDOW]
        );
    }

    #[test]
    fn a_sleep_as_long_as_the_longest_window_or_longer_does_not_grow_it() {
        let start = Instant::now();
        let mut spin = Spin::new(start);
        assert!(!spin.keep_polling(start, false));
        assert!(!spin.keep_polling(start + MAX_WINDOW, true));
        assert_eq!(spin.window, Duration::ZERO);
        assert!(!spin.keep_polling(start + MAX_WINDOW, false));
        assert!(spin.keep_polling(start + MAX_WINDOW * 2 - micros(1), true));
        assert_eq!(spin.window, MIN_WINDOW);
    }

    #[test]
    fn long_sleeps_halve_the_window_until_paced_work_stops_polling() {
        let mut now = Instant::now();
        let mut spin = Spin::new(now);
        spin.window = MAX_WINDOW;
        spin.keep_polling(now, true);
        now += MAX_WINDOW;
        assert!(!spin.keep_polling(now, false));
        // A spurious wake-up with nothing to do sleeps again, the window as it was.
        assert!(!spin.keep_polling(now + micros(5), false));
        assert_eq!(spin.window, MAX_WINDOW);
        // Work every 10 ms (a paced run): each wake-up after so long a sleep halves the window.
        let mut windows = Vec::new();
        for _ in 0..8 {
            now += Duration::from_millis(10);
            spin.keep_polling(now, true);
            windows.push(spin.window);
            now += spin.window;
            assert!(!spin.keep_polling(now, false));
        }
        assert_eq!(windows[..3], [micros(500), micros(250), micros(125)]);
        // 1000 µs / 2^7 would be under the shortest window: it stops polling at all.
        let zero = Duration::ZERO;
        assert_eq!(
            windows[5..],
            [micros(15) + Duration::from_nanos(625), zero, zero]
        );
        assert!(!spin.keep_polling(now + Duration::from_millis(10), true));
    }

    #[test]
    fn halving_keeps_the_shortest_window_and_drops_what_is_shorter() {
        let start = Instant::now();
        let cases = [
            (MIN_WINDOW * 2, MIN_WINDOW),
            (MIN_WINDOW * 2 - micros(1), Duration::ZERO),
        ];
        for (before, after) in cases {
            let mut spin = Spin::new(start);
            spin.window = before;
            assert!(!spin.keep_polling(start + before, false));
            spin.keep_polling(start + before + MAX_WINDOW, true);
            assert_eq!(spin.window, after, "after {before:?}");
        }
    }

    #[test]
    fn work_resets_the_window_s_start() {
        let start = Instant::now();
        let mut spin = Spin::new(start);
        spin.window = micros(100);
        spin.keep_polling(start, true);
        assert!(spin.keep_polling(start + micros(99), false));
        spin.keep_polling(start + micros(150), true);
        assert!(spin.keep_polling(start + micros(249), false));
        assert!(!spin.keep_polling(start + micros(250), false));
    }
}
