//! The `dockerfile-ls` binary.
use std::io::Write;
fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[2])?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let file = dockerfile_ls::syntax::lower::lower(&text);
    let out = dockerfile_ls::buildkit_json::to_json(&text, &file);
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", serde_json::to_string_pretty(&out)?)?;
    Ok(())
}
