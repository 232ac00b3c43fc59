//! Ambient mode: waypoints (Gateway API Gateways of class `istio-waypoint` that istiod deploys)
//! and enrolling namespaces with `istio.io/dataplane-mode=ambient`, also from sidecars.

mod enrol;
mod error;
mod waypoint;

pub use enrol::{EnrolOptions, EnrolReport, StepResult, disable, enrol};
pub use error::Error;
pub use waypoint::{
    ApplyOptions, ApplyReport, Deletion, TrafficType, Waypoint, WaypointStatus, apply, delete,
    list, status,
};
