//! Workbooks and pieces read: which files are reports, and what each report and piece says.

pub mod load;
pub mod pieces;
pub mod submission;
