//! A console window that stays open when `jianbao.exe` was started by a double-click in
//! Explorer: Windows closes the console it made for the program as soon as the program ends,
//! so nobody would see the summary or the error.

use std::io::IsTerminal;

/// Whether to wait for Enter before exiting: this program is the only process on its console
/// (Explorer made the console for it, which is what a double-click does; in a command prompt
/// the shell is attached too) and its input is that console (not a pipe or a scheduled task).
pub fn should_pause(processes_on_console: u32, stdin_is_terminal: bool) -> bool {
    processes_on_console == 1 && stdin_is_terminal
}

/// The processes attached to this program's console (Windows); 0 elsewhere.
#[cfg(windows)]
fn processes_on_console() -> u32 {
    #[link(name = "kernel32")]
    extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
    }
    let mut ids = [0u32; 4];
    // SAFETY: the buffer and its length are valid for the call; the function only writes ids.
    unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) }
}

#[cfg(not(windows))]
fn processes_on_console() -> u32 {
    0
}

/// After a double-click: says `hint` (where the outputs are, or what to do) and waits for Enter;
/// with `page` (结果一览), Enter opens it in the browser and q quits.
pub fn pause_if_double_clicked(hint: &str, page: Option<&std::path::Path>) {
    if should_pause(processes_on_console(), std::io::stdin().is_terminal()) {
        println!();
        println!("{hint}");
        println!("{}", if page.is_some() { "按回车键打开结果一览，输入 q 退出。" } else { "按回车键退出。" });
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if let Some(page) = page.filter(|_| opens(&answer)) {
            open(page);
        }
    }
}

/// Whether the answer to the prompt asks to open the page (anything but q).
pub fn opens(answer: &str) -> bool {
    !answer.trim().eq_ignore_ascii_case("q")
}

/// Opens a file with its default program (Explorer hands an .html file to the browser).
#[cfg(windows)]
fn open(page: &std::path::Path) {
    let _ = std::process::Command::new("explorer.exe").arg(page).spawn();
}

#[cfg(not(windows))]
fn open(_page: &std::path::Path) {}

#[cfg(test)]
mod tests {
    use super::{opens, should_pause};

    #[test]
    fn enter_opens_the_page_and_q_quits() {
        assert!(opens("\r\n") && opens("") && opens("y\n"));
        assert!(!opens("q\r\n") && !opens(" Q \n"));
    }

    #[test]
    fn only_a_console_of_its_own_is_held_open() {
        assert!(should_pause(1, true), "double-clicked in Explorer");
        assert!(!should_pause(2, true), "run from cmd or PowerShell: the shell shares the console");
        assert!(!should_pause(1, false), "input redirected: nobody to press Enter");
        assert!(!should_pause(0, true), "no console (Linux, or a service)");
    }
}
