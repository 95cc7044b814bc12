//! What the server knows without asking anyone: instructions and flags, base images and
//! distributions, package managers. Data and lookups only; it ships inside the binary.

pub mod archives;
pub mod catalog;
pub mod distros;
pub mod frontend;
pub mod go_values;
pub mod images;
pub mod instructions;
pub mod label_values;
pub mod package_commands;
pub mod package_managers;
pub mod platforms;
pub mod ports;
pub mod runtimes;
pub mod signals;
pub mod stage_bases;
pub mod suggest;
pub mod version_pins;
