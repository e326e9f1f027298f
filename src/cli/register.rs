//! `braid register` / `braid unregister`: make Braid the program that opens metalinks
//! for this user, or undo it.

pub fn run(register: bool) -> i32 {
    let result = if register {
        crate::platform::register::register()
    } else {
        crate::platform::register::unregister()
    };
    match result {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
            0
        }
        Err(e) => {
            eprintln!("braid: {e}");
            1
        }
    }
}
