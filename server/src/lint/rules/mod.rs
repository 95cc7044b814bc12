//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod base_image_end_of_life;
pub mod cleanup_in_later_layer;
pub mod consecutive_run_instructions;
pub mod copy_destination_not_directory;
pub mod duplicate_stage_name;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod instruction_before_from;
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
pub mod maintainer_deprecated;
pub mod package_cache_not_cleaned;
pub mod package_manager_mismatch;
pub mod parse_error;
pub mod reserved_stage_name;
pub mod shell_not_json;
pub mod single_quoted_exec_form;
pub mod unknown_instruction;
pub mod unused_stage;

/// Every rule, in the order they are documented.
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
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &invalid_stage_reference::RULE,
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
