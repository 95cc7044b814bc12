//! What a build sees outside the Dockerfile: the build context (its files and `.dockerignore`),
//! and the compose and bake files that build the Dockerfile (targets, build arguments, named
//! contexts).

pub mod bake;
pub mod builds;
pub mod compose;
pub mod dockerignore;
pub mod files;
pub mod pattern;
