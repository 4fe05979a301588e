//! The directory: people, customer organizations, and the tree of teams and departments.

mod nullable;
pub mod organizations;
pub mod people;
pub mod teams;

pub(crate) use nullable::nullable;

use tandem_domain::Principal;

use crate::AppError;

/// Directory reads are for staff: customers learn about people only through their tickets.
/// Answered as "not found" so the directory's shape does not leak.
pub(crate) fn require_staff(principal: &Principal, what: &'static str) -> Result<(), AppError> {
    if principal.is_staff() { Ok(()) } else { Err(AppError::NotFound(what)) }
}

pub(crate) fn require_admin(principal: &Principal) -> Result<(), AppError> {
    if principal.is_admin { Ok(()) } else { Err(AppError::forbidden("only an admin may do this")) }
}
