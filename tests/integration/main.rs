//! Integration tests. Everything that talks to a cluster runs against the real local control
//! plane of `tests/cluster/dev-cluster` (started once per test binary, idempotently), each test in
//! namespaces of its own.

// The istiod lock is a std RwLock guard held for a whole test on purpose: it serialises the tests
// that stop istiod against those that need it, and a test's future never moves between threads.
#![allow(clippy::await_holding_lock)]

mod faultproxy;
mod loadserver;
mod mirror;
mod protoserver;
mod support;

mod addons;
mod ambient;
mod analyze_ambient;
mod analyze_policy;
mod analyze_routing;
mod analyze_scope;
mod cli;
mod cluster;
mod config;
mod dashboard;
mod demo;
mod download;
mod faults;
mod gateway_api;
mod health;
mod health_ambient;
mod inject;
mod install;
mod install_ambient;
mod interrupt;
mod kubeconfig;
mod mesh_metrics;
mod output;
mod secrets;
mod traffic;
mod traffic_gateway_api;
mod troubleshoot;
mod troubleshoot_input;
mod waypoint;
