//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod add_instead_of_copy;
pub mod apt_install_recommends;
pub mod apt_instead_of_apt_get;
pub mod archive_extracted_after_copy;
pub mod assume_yes_missing;
pub mod base_image_end_of_life;
pub mod cd_instead_of_workdir;
pub mod cleanup_in_later_layer;
pub mod consecutive_run_instructions;
pub mod consistent_instruction_casing;
pub mod copy_destination_not_directory;
pub mod copy_ignored_file;
pub mod copy_source_not_found;
pub mod copy_whole_filesystem;
pub mod duplicate_stage_name;
pub mod env_reference_in_same_instruction;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod healthcheck_missing;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod inline_ignore_pragma;
pub mod instruction_before_from;
pub mod invalid_check_directive;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod invalid_flag;
pub mod invalid_image_reference;
pub mod invalid_instruction_arguments;
pub mod invalid_mount;
pub mod invalid_onbuild_trigger;
pub mod invalid_port;
pub mod invalid_stage_name;
pub mod invalid_stage_reference;
pub mod invalid_stop_signal;
pub mod invalid_variable_expansion;
pub mod json_args_recommended;
pub mod label_empty;
pub mod label_key_invalid;
pub mod label_missing;
pub mod label_not_in_schema;
pub mod label_value_invalid;
pub mod last_user_root;
pub mod legacy_key_value_format;
pub mod link_over_bin_sh;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod non_numeric_user;
pub mod package_cache_not_cleaned;
pub mod package_manager_mismatch;
pub mod package_version_not_pinned;
pub mod parse_error;
pub mod pipe_without_pipefail;
pub mod pointless_container_command;
pub mod redundant_target_platform;
pub mod relative_destination_without_workdir;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod shell_not_json;
pub mod single_quoted_exec_form;
pub mod stage_name_casing;
pub mod sudo_in_run;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod unknown_instruction;
pub mod untrusted_registry;
pub mod unused_stage;
pub mod useradd_without_no_log_init;
pub mod wget_and_curl;
pub mod wget_without_progress_option;
pub mod workdir_relative_path;
pub mod zypper_dist_upgrade;

/// Every rule, in the order they are documented: what BuildKit rejects, BuildKit's build
/// checks in BuildKit's order, then ours.
pub static ALL: &[&Rule] = &[
    &parse_error::RULE,
    &unknown_instruction::RULE,
    &invalid_instruction_arguments::RULE,
    &invalid_flag::RULE,
    &invalid_mount::RULE,
    &invalid_onbuild_trigger::RULE,
    &shell_not_json::RULE,
    &invalid_stage_name::RULE,
    &invalid_image_reference::RULE,
    &invalid_port::RULE,
    &invalid_stop_signal::RULE,
    &invalid_variable_expansion::RULE,
    &copy_destination_not_directory::RULE,
    &single_quoted_exec_form::RULE,
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
    &copy_whole_filesystem::RULE,
    &add_instead_of_copy::RULE,
    &archive_extracted_after_copy::RULE,
    &relative_destination_without_workdir::RULE,
    &env_reference_in_same_instruction::RULE,
    &healthcheck_missing::RULE,
    &inline_ignore_pragma::RULE,
    &image_tag_missing::RULE,
    &image_tag_latest::RULE,
    &base_image_end_of_life::RULE,
    &untrusted_registry::RULE,
    &last_user_root::RULE,
    &non_numeric_user::RULE,
    &package_manager_mismatch::RULE,
    &package_version_not_pinned::RULE,
    &label_key_invalid::RULE,
    &label_missing::RULE,
    &label_not_in_schema::RULE,
    &label_empty::RULE,
    &label_value_invalid::RULE,
    &pointless_container_command::RULE,
    &cd_instead_of_workdir::RULE,
    &sudo_in_run::RULE,
    &assume_yes_missing::RULE,
    &apt_install_recommends::RULE,
    &apt_instead_of_apt_get::RULE,
    &zypper_dist_upgrade::RULE,
    &useradd_without_no_log_init::RULE,
    &wget_without_progress_option::RULE,
    &wget_and_curl::RULE,
    &link_over_bin_sh::RULE,
    &pipe_without_pipefail::RULE,
    // What the build context holds.
    &copy_ignored_file::RULE,
    &copy_source_not_found::RULE,
];

/// BuildKit's build checks (`docker build --check`): `# check=skip=` skips them (names exactly
/// as written here), `# check=error=true` makes them errors, and each finding offers
/// "Skip RuleName here". Not here: InvalidBaseImagePlatform (it needs the registry).
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
    // Introduced as experimental; current frontends report it on a plain build, as we do.
    &copy_ignored_file::RULE,
];

/// BuildKit's experimental checks: off unless `# check=experimental=` (or the `experimental`
/// setting) names them; `skip` does not reach them.
pub static EXPERIMENTAL: &[&Rule] = &[&invalid_definition_description::RULE];
