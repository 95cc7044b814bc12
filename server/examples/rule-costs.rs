//! What each rule costs on a keystroke: edits a Dockerfile one character at a time in the
//! middle, re-lowers it as the server does, and times every rule that runs by default
//! separately. Shared views (the RUN commands the shell rules read, the stage bases, the build
//! errors) are charged to the first rule that asks for them, as on a real keystroke. The file
//! lspbench measures: `python3 ../shared/tools/lspbench.py --synth-lines 10000 --write-synth F`.
//!
//!     cargo run --release -p dockerfile-ls --example rule-costs -- FILE [ROUNDS]

// A measuring tool run by hand: its report is its standard output (the server's rule against
// printing there is about the protocol).
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use dockerfile_ls::knowledge::distros::AS_OF;
use dockerfile_ls::lint::{Context, Settings, rules};
use dockerfile_ls::syntax::SourceFile;
use dockerfile_ls::text::ByteEdit;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: rule-costs FILE [ROUNDS]");
    let rounds: usize = args.next().map_or(200, |n| n.parse().expect("ROUNDS"));
    let original = std::fs::read_to_string(&path).expect("readable UTF-8 file");
    let at = original[..original.len() / 2]
        .rfind("\nRUN ")
        .map_or(0, |i| i + 5);
    let settings = Settings::default();
    let mut costs = vec![Duration::ZERO; rules::ALL.len()];
    let mut lowering = Duration::ZERO;
    let mut source = SourceFile::new(original.clone(), None);
    let mut found = Vec::new();
    for round in 0..rounds {
        // Alternately insert and remove one character, so the file stays the same size.
        let (text, edit) = if round % 2 == 0 {
            let mut text = original.clone();
            text.insert(at, 'x');
            (
                text,
                ByteEdit {
                    start: at,
                    old_end: at,
                    new_end: at + 1,
                },
            )
        } else {
            (
                original.clone(),
                ByteEdit {
                    start: at,
                    old_end: at + 1,
                    new_end: at,
                },
            )
        };
        let started = Instant::now();
        source = SourceFile::edited(source, text, edit);
        lowering += started.elapsed();
        let mut context = Context::new(&source, &settings, AS_OF);
        context.fixes = false;
        for (index, rule) in rules::ALL.iter().enumerate() {
            // As the server lints: rules off by default and experimental checks do not run.
            if !settings.runs(rule)
                || rules::EXPERIMENTAL
                    .iter()
                    .any(|other| other.name == rule.name)
            {
                continue;
            }
            let started = Instant::now();
            (rule.check)(&context, &mut found);
            costs[index] += started.elapsed();
            found.clear();
        }
    }
    let per = |d: Duration| d.as_secs_f64() * 1e3 / rounds as f64;
    let mut ranked: Vec<_> = rules::ALL.iter().zip(&costs).collect();
    ranked.sort_by(|a, b| b.1.cmp(a.1));
    println!("re-lowering: {:.3} ms per keystroke", per(lowering));
    println!("all rules:   {:.3} ms", per(costs.iter().sum()));
    for (rule, cost) in ranked.iter().take(40) {
        println!("{:8.3} ms  {}", per(**cost), rule.name);
    }
}
