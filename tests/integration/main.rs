//! Integration tests. Everything that talks to a cluster runs against the real local control
//! plane of `tests/cluster/dev-cluster` (started once per test binary, idempotently), each test in
//! namespaces of its own.

mod loadserver;
mod mirror;
mod protoserver;
mod support;

mod cli;
mod cluster;
mod download;
mod health;
mod inject;
mod install;
mod mesh_metrics;
mod traffic;
mod troubleshoot;
