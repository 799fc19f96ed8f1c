//! What the office keeps and sends: the reporting board, the workbooks we write, the blank forms.

pub mod excel;
pub mod forms;
pub mod status;
