//! The report outputs every `graphene bench` shares: the result as a JSON file, latency
//! histograms as HdrHistogram `.hgrm` percentile files, and the latency distribution drawn as an
//! SVG (plotters, SVG backend only).
//!
//! Convention: latency histograms record nanoseconds (`Histogram<u64>` from [`latency_histogram`]);
//! files show microseconds (`.hgrm`, like HdrHistogram's own tools) or the unit that suits the
//! largest value (plots).
//!
//! Measurement support code: never used by the node.

use hdrhistogram::Histogram;
use std::path::Path;

/// Why a report file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("cannot draw {path}: {detail}")]
    Plot { path: String, detail: String },
}

/// A histogram for latencies from 1 ns to 10 minutes at 3 significant digits.
pub fn latency_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000_000, 3).expect("valid bounds")
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io { path: path.display().to_string(), source }
}

/// Write `value` pretty-printed to `path`.
pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<(), ReportError> {
    let text = serde_json::to_string_pretty(value).expect("a JSON value prints");
    std::fs::write(path, text + "\n").map_err(io(path))
}

/// HdrHistogram's classic percentile-distribution text (values in microseconds), readable by
/// the HdrHistogram plotter.
pub fn percentile_distribution(h: &Histogram<u64>) -> String {
    let mut out = String::from("       Value     Percentile TotalCount 1/(1-Percentile)\n\n");
    for v in h.iter_quantiles(5) {
        let q = v.quantile_iterated_to();
        let inv = if q < 1.0 { format!("{:.2}", 1.0 / (1.0 - q)) } else { "inf".into() };
        out.push_str(&format!(
            "{:12.3} {:14.12} {:10} {:>14}\n",
            v.value_iterated_to() as f64 / 1000.0,
            q,
            v.count_since_last_iteration(),
            inv
        ));
    }
    out.push_str(&format!(
        "#[Mean    = {:12.3}, StdDeviation   = {:12.3}]\n#[Max     = {:12.3}, Total count    = {:12}]\n",
        h.mean() / 1000.0,
        h.stdev() / 1000.0,
        h.max() as f64 / 1000.0,
        h.len()
    ));
    out
}

/// Write `h` (nanoseconds) as a `.hgrm` file.
pub fn write_hgrm(path: &Path, h: &Histogram<u64>) -> Result<(), ReportError> {
    std::fs::write(path, percentile_distribution(h)).map_err(io(path))
}

/// p50, p90, p99, p99.9 and max of `h`, in nanoseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Percentiles {
    pub count: u64,
    pub p50: u64,
    pub p90: u64,
    pub p99: u64,
    pub p999: u64,
    pub max: u64,
}

impl Percentiles {
    pub fn of(h: &Histogram<u64>) -> Percentiles {
        Percentiles {
            count: h.len(),
            p50: h.value_at_quantile(0.50),
            p90: h.value_at_quantile(0.90),
            p99: h.value_at_quantile(0.99),
            p999: h.value_at_quantile(0.999),
            max: h.max(),
        }
    }

    /// Whether p50 ≤ p90 ≤ p99 ≤ p99.9 ≤ max.
    pub fn ordered(&self) -> bool {
        self.p50 <= self.p90 && self.p90 <= self.p99 && self.p99 <= self.p999 && self.p999 <= self.max
    }

    /// In microseconds, for JSON.
    pub fn to_json_us(&self) -> serde_json::Value {
        let us = |ns: u64| ns as f64 / 1_000.0;
        serde_json::json!({
            "count": self.count, "p50_us": us(self.p50), "p90_us": us(self.p90), "p99_us": us(self.p99),
            "p99_9_us": us(self.p999), "max_us": us(self.max),
        })
    }
}

/// A duration in nanoseconds in the unit that reads best (`850 µs`, `12.3 ms`, `4.50 s`).
pub fn human_ns(ns: u64) -> String {
    match ns {
        0..=9_999 => format!("{ns} ns"),
        10_000..=9_999_999 => format!("{:.0} µs", ns as f64 / 1e3),
        10_000_000..=9_999_999_999 => format!("{:.1} ms", ns as f64 / 1e6),
        _ => format!("{:.2} s", ns as f64 / 1e9),
    }
}

/// Draw the latency distribution of each named histogram (nanoseconds) as one line: latency
/// against percentile on HdrHistogram's `1/(1-q)` log axis (50 %, 90 %, 99 %, 99.9 %, ...).
pub fn plot_latency(path: &Path, title: &str, series: &[(String, &Histogram<u64>)]) -> Result<(), ReportError> {
    draw(path, title, series).map_err(|detail| ReportError::Plot { path: path.display().to_string(), detail })
}

fn draw(path: &Path, title: &str, series: &[(String, &Histogram<u64>)]) -> Result<(), String> {
    use plotters::prelude::*;
    let max_ns = series.iter().map(|(_, h)| h.max()).max().unwrap_or(1).max(1);
    let (unit, scale) = match max_ns {
        0..=9_999 => ("ns", 1.0),
        10_000..=9_999_999 => ("µs", 1e3),
        10_000_000..=9_999_999_999 => ("ms", 1e6),
        _ => ("s", 1e9),
    };
    // x = log10(1/(1-q)): 0 at the median's left edge, 1 at 90 %, 2 at 99 %, ...
    let points = |h: &Histogram<u64>| -> Vec<(f64, f64)> {
        h.iter_quantiles(5)
            .filter(|v| v.quantile_iterated_to() < 1.0)
            .map(|v| ((1.0 / (1.0 - v.quantile_iterated_to())).log10(), v.value_iterated_to() as f64 / scale))
            .collect()
    };
    let lines: Vec<(String, Vec<(f64, f64)>)> = series.iter().map(|(n, h)| (n.clone(), points(h))).collect();
    let x_max = lines.iter().flat_map(|(_, p)| p.iter().map(|(x, _)| *x)).fold(1.0f64, f64::max).ceil();
    let y_max = max_ns as f64 / scale * 1.05;
    let root = SVGBackend::new(path, (900, 540)).into_drawing_area();
    let e = |e: &dyn std::fmt::Display| e.to_string();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..x_max, 0f64..y_max)
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .x_desc("percentile")
        .y_desc(format!("latency ({unit})"))
        .x_labels(x_max as usize + 1)
        .x_label_formatter(&|x| {
            let q = 100.0 * (1.0 - 10f64.powf(-*x));
            format!("{q:.*}%", (*x as usize).saturating_sub(2))
        })
        .draw()
        .map_err(|x| e(&x))?;
    for (i, (name, pts)) in lines.into_iter().enumerate() {
        let color = Palette99::pick(i).to_rgba();
        chart
            .draw_series(LineSeries::new(pts, color.stroke_width(2)))
            .map_err(|x| e(&x))?
            .label(name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_files_of_a_known_histogram() {
        let mut h = latency_histogram();
        for v in 1..=1_000u64 {
            h.record(v * 1_000).unwrap(); // 1 µs .. 1 ms
        }
        let p = Percentiles::of(&h);
        assert_eq!(p.count, 1_000);
        assert!(p.ordered());
        assert_eq!(p.p50 / 1_000, 500);
        assert_eq!(p.p99 / 1_000, 990);
        let dir = tempfile::tempdir().unwrap();
        let hgrm = dir.path().join("x.hgrm");
        write_hgrm(&hgrm, &h).unwrap();
        let text = std::fs::read_to_string(&hgrm).unwrap();
        assert!(text.contains("Total count    =         1000"), "{text}");
        let svg = dir.path().join("x.svg");
        plot_latency(&svg, "test", &[("a".into(), &h)]).unwrap();
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg") && text.contains("latency (µs)") && text.contains("polyline"), "{text}");
        assert_eq!(human_ns(850_000), "850 µs");
        assert_eq!(human_ns(12_340_000), "12.3 ms");
    }
}
