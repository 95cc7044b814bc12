//! The rule registry: every rule, one file each, with its documentation, check, fixes and
//! tests.

use super::Rule;

pub mod duplicate_stage_name;
pub mod instruction_before_from;
pub mod invalid_stage_reference;
pub mod maintainer_deprecated;
pub mod parse_error;
pub mod reserved_stage_name;
pub mod unknown_instruction;

/// Every rule, in the order they are documented.
pub static ALL: &[&Rule] = &[
    &parse_error::RULE,
    &unknown_instruction::RULE,
    &instruction_before_from::RULE,
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &invalid_stage_reference::RULE,
    &maintainer_deprecated::RULE,
];
