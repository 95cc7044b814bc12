//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod base_image_end_of_life;
pub mod cleanup_in_later_layer;
pub mod consecutive_run_instructions;
pub mod duplicate_stage_name;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod instruction_before_from;
pub mod invalid_check_directive;
pub mod invalid_stage_reference;
pub mod maintainer_deprecated;
pub mod package_cache_not_cleaned;
pub mod package_manager_mismatch;
pub mod parse_error;
pub mod reserved_stage_name;
pub mod unknown_instruction;
pub mod unused_stage;

/// Every rule, in the order they are documented: what BuildKit rejects, BuildKit's build
/// checks in BuildKit's order, then ours.
pub static ALL: &[&Rule] = &[
    &parse_error::RULE,
    &unknown_instruction::RULE,
    &instruction_before_from::RULE,
    &invalid_check_directive::RULE,
    &invalid_stage_reference::RULE,
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &maintainer_deprecated::RULE,
    &consecutive_run_instructions::RULE,
    &package_cache_not_cleaned::RULE,
    &cleanup_in_later_layer::RULE,
    &unused_stage::RULE,
    &image_tag_missing::RULE,
    &image_tag_latest::RULE,
    &base_image_end_of_life::RULE,
    &package_manager_mismatch::RULE,
];

/// BuildKit's build checks (`docker build --check`): `# check=skip=` skips them (names exactly
/// as written here), `# check=error=true` makes them errors, and each finding offers
/// "Skip RuleName here". Not here: CopyIgnoredFile (it needs the build context) and
/// InvalidBaseImagePlatform (it needs the registry).
pub static BUILDKIT_CHECKS: &[&Rule] = &[
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &maintainer_deprecated::RULE,
];

/// BuildKit's experimental checks: off unless `# check=experimental=` (or the `experimental`
/// setting) names them; `skip` does not reach them.
pub static EXPERIMENTAL: &[&Rule] = &[];
