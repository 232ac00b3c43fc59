//! The open-file limit a load run needs: one socket per connection, plus what the process
//! itself holds. Past the limit connect(2) fails with EMFILE, which is meshctl's own failure and
//! must never be counted as the target refusing connections.

use super::{Error, Result};

/// File descriptors the process holds besides the connections: stdio, the runtime's epoll and
/// wakers, the signal pipe, a kube client or two.
pub const RESERVED: u64 = 32;

/// Raises the soft limit on open files to the hard limit (as Go's runtime does at start) and
/// refuses a run whose `connections` still do not fit under it.
pub fn ensure_room_for(connections: usize) -> Result<()> {
    let needed = connections as u64 + RESERVED;
    let limit = raise_soft_limit();
    match limit {
        Some(limit) if limit < needed => Err(Error::OpenFiles {
            connections,
            limit,
            usable: limit.saturating_sub(RESERVED),
        }),
        _ => Ok(()),
    }
}

/// The soft limit after raising it as far as the hard limit allows; `None` when it cannot be
/// read (then the run goes ahead, and EMFILE is reported as such if it comes).
fn raise_soft_limit() -> Option<u64> {
    let mut limits = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct we own.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limits) } != 0 {
        return None;
    }
    if limits.rlim_cur < limits.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limits.rlim_max,
            rlim_max: limits.rlim_max,
        };
        // SAFETY: setrlimit reads one rlimit from the struct we own.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limits.rlim_cur = limits.rlim_max;
        }
    }
    Some(if limits.rlim_cur == libc::RLIM_INFINITY {
        u64::MAX
    } else {
        limits.rlim_cur
    })
}

/// Whether a failed connect(2) or socket(2) was meshctl out of file descriptors.
pub fn is_out_of_files(error: &std::io::Error) -> bool {
    matches!(error.raw_os_error(), Some(libc::EMFILE | libc::ENFILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emfile_and_enfile_are_meshctl_s_own() {
        assert!(is_out_of_files(&std::io::Error::from_raw_os_error(
            libc::EMFILE
        )));
        assert!(is_out_of_files(&std::io::Error::from_raw_os_error(
            libc::ENFILE
        )));
        assert!(!is_out_of_files(&std::io::Error::from_raw_os_error(
            libc::ECONNREFUSED
        )));
    }

    #[test]
    fn a_modest_run_fits_under_the_raised_limit() {
        assert!(ensure_room_for(1).is_ok());
    }
}
