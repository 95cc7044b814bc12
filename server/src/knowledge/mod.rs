//! What the server knows without asking anyone: instructions and flags, base images and
//! distributions, package managers. Data and lookups only; it ships inside the binary.

pub mod catalog;
pub mod distros;
pub mod images;
pub mod instructions;
pub mod package_commands;
pub mod package_managers;
pub mod platforms;
pub mod runtimes;
pub mod stage_bases;
