use airview_engine::snapshot::{encode, Decoder};
use airview_engine::Dataset;
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("/tmp/export-1m.json").unwrap();
    let mut data = Dataset::new();
    airview_import::load(&mut data, "x.json", &text, None).unwrap();
    drop(text);
    let bytes = encode(&data);
    drop(data);
    for _ in 0..3 {
        let t = Instant::now();
        let d = Decoder::new(&bytes[..]).unwrap();
        println!("new {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
        drop(d);
    }
    let mut d = Decoder::new(&bytes[..]).unwrap();
    let mut worst = (0.0, 0, 0);
    let mut i = 0;
    loop {
        let t = Instant::now();
        let r = d.step(1024).unwrap();
        let ms = t.elapsed().as_secs_f64() * 1e3;
        if ms > worst.0 {
            worst = (ms, i, d.progress().0);
        }
        if i < 3 {
            println!("step {i} {ms:.2} ms progress {:?}", d.progress());
        }
        i += 1;
        if r.is_some() {
            break;
        }
    }
    println!("worst {:?} of {} steps", worst, i);
}
