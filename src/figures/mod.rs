//! Figures from the reports, what the check found (and what it holds back), and the data check report.

pub mod aggregate;
pub mod checked;
pub mod report;
