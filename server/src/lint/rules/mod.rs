//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod base_image_end_of_life;
pub mod cleanup_in_later_layer;
pub mod consecutive_run_instructions;
pub mod consistent_instruction_casing;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod instruction_before_from;
pub mod invalid_check_directive;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod invalid_stage_reference;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod package_cache_not_cleaned;
pub mod package_manager_mismatch;
pub mod parse_error;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod unknown_instruction;
pub mod unused_stage;
pub mod workdir_relative_path;

/// Every rule, in the order they are documented: what BuildKit rejects, BuildKit's build
/// checks in BuildKit's order, then ours.
pub static ALL: &[&Rule] = &[
    &parse_error::RULE,
    &unknown_instruction::RULE,
    &instruction_before_from::RULE,
    &invalid_check_directive::RULE,
    &invalid_stage_reference::RULE,
    &stage_name_casing::RULE,
    &from_as_casing::RULE,
    &no_empty_continuation::RULE,
    &consistent_instruction_casing::RULE,
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &json_args_recommended::RULE,
    &maintainer_deprecated::RULE,
    &undefined_arg_in_from::RULE,
    &workdir_relative_path::RULE,
    &undefined_var::RULE,
    &multiple_instructions_disallowed::RULE,
    &legacy_key_value_format::RULE,
    &redundant_target_platform::RULE,
    &secrets_used_in_arg_or_env::RULE,
    &invalid_default_arg_in_from::RULE,
    &from_platform_flag_const_disallowed::RULE,
    &expose_proto_casing::RULE,
    &expose_invalid_format::RULE,
    &invalid_definition_description::RULE,
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
    &stage_name_casing::RULE,
    &from_as_casing::RULE,
    &no_empty_continuation::RULE,
    &consistent_instruction_casing::RULE,
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &json_args_recommended::RULE,
    &maintainer_deprecated::RULE,
    &undefined_arg_in_from::RULE,
    &workdir_relative_path::RULE,
    &undefined_var::RULE,
    &multiple_instructions_disallowed::RULE,
    &legacy_key_value_format::RULE,
    &redundant_target_platform::RULE,
    &secrets_used_in_arg_or_env::RULE,
    &invalid_default_arg_in_from::RULE,
    &from_platform_flag_const_disallowed::RULE,
    &expose_proto_casing::RULE,
    &expose_invalid_format::RULE,
    &invalid_definition_description::RULE,
];

/// BuildKit's experimental checks: off unless `# check=experimental=` (or the `experimental`
/// setting) names them; `skip` does not reach them.
pub static EXPERIMENTAL: &[&Rule] = &[&invalid_definition_description::RULE];
