//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod apt_install_recommends;
pub mod apt_instead_of_apt_get;
pub mod assume_yes_missing;
pub mod base_image_end_of_life;
pub mod cd_instead_of_workdir;
pub mod cleanup_in_later_layer;
pub mod consecutive_run_instructions;
pub mod duplicate_stage_name;
pub mod image_tag_latest;
pub mod image_tag_missing;
pub mod instruction_before_from;
pub mod invalid_stage_reference;
pub mod link_over_bin_sh;
pub mod maintainer_deprecated;
pub mod package_cache_not_cleaned;
pub mod package_manager_mismatch;
pub mod parse_error;
pub mod pipe_without_pipefail;
pub mod pointless_container_command;
pub mod reserved_stage_name;
pub mod sudo_in_run;
pub mod unknown_instruction;
pub mod unused_stage;
pub mod useradd_without_no_log_init;
pub mod wget_and_curl;
pub mod wget_without_progress_option;
pub mod zypper_dist_upgrade;

/// Every rule, in the order they are documented.
pub static ALL: &[&Rule] = &[
    &parse_error::RULE,
    &unknown_instruction::RULE,
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
];
