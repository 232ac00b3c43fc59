//! One module per subcommand: its arguments and the entry function that turns them into options
//! for the shared layer.

pub mod addons;
pub mod args;
pub mod completions;
pub mod dashboard;
pub mod health;
pub mod inject;
pub mod install;
pub mod manifests;
pub mod traffic;
pub mod troubleshoot;
pub mod uninstall;
pub mod waypoint;
