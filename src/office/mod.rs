//! What the office keeps and sends: the reporting boards (months, 旬), the workbooks we write, the blank forms.

pub mod excel;
pub mod forms;
pub mod status;
pub mod xun_board;
