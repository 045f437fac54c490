//! Real pointer input: X events from `xdotool` on the app's Xvfb display, the
//! way a person's mouse reaches the window (GTK, WebKit, then the page), as
//! opposed to WebDriver clicks, which the page receives as synthetic events.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::process::Command;

use crate::desktop::Desktop;

/// A point on the X screen, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Where an element sits, in the page's CSS pixels.
#[derive(Debug, Clone, Copy)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn centre(&self) -> Point {
        self.at(0.5, 0.5)
    }

    /// A point at fractions of the width and height (0,0 top-left, 1,1 bottom-right).
    pub fn at(&self, fx: f64, fy: f64) -> Point {
        Point {
            x: self.left + self.width * fx,
            y: self.top + self.height * fy,
        }
    }
}

impl Desktop {
    async fn xdotool(&self, args: &[String]) {
        let out = Command::new("xdotool")
            .args(args)
            .env("DISPLAY", &self.display)
            .output()
            .await
            .expect("xdotool runs (Debian package xdotool)");
        assert!(
            out.status.success(),
            "xdotool {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The bounding box of the first element matching `css` in the top
    /// document, or None while there is none.
    pub async fn rect(&self, css: &str) -> Option<Rect> {
        self.rect_of("document.querySelector(arguments[0])", vec![json!(css)])
            .await
    }

    /// Where an element inside a widget's frame sits on the page: the box of
    /// the first frame matching `frame` plus the box `script` returns
    /// (`{left, top, width, height}` in the frame's document; null while
    /// there is none), waited for up to 90 s.
    pub async fn rect_in_frame(&self, frame: &str, script: &str) -> Rect {
        let outer = self.rect(frame).await.expect("the frame is on the page");
        let inner = self
            .session
            .until_in_frame(
                frame,
                0,
                "the element in its frame",
                Duration::from_secs(90),
                script,
            )
            .await;
        let f = |k: &str| inner[k].as_f64().expect("a number");
        Rect {
            left: outer.left + f("left"),
            top: outer.top + f("top"),
            width: f("width"),
            height: f("height"),
        }
    }

    /// The box of the element `expr` (a script expression over `args`) in
    /// the main page, as [`Desktop::rect`] gives it; None when it is null.
    pub async fn rect_of(&self, expr: &str, args: Vec<Value>) -> Option<Rect> {
        self.session.enter_top().await.ok()?;
        let v = self
            .session
            .execute(
                &format!(
                    "const e = {expr}; if (!e) return null; \
                     const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];"
                ),
                args,
            )
            .await
            .ok()?;
        let a = v.as_array()?;
        let n = |i: usize| a.get(i).and_then(Value::as_f64);
        Some(Rect {
            left: n(0)?,
            top: n(1)?,
            width: n(2)?,
            height: n(3)?,
        })
    }

    /// The app window's top-left corner on the X screen.
    async fn window_position(&self) -> Point {
        let out = Command::new("xdotool")
            .args([
                "search",
                "--onlyvisible",
                "--name",
                "^Tessera$",
                "getwindowgeometry",
                "--shell",
            ])
            .env("DISPLAY", &self.display)
            .output()
            .await
            .expect("xdotool runs");
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(k))
                .and_then(|v| v.trim().parse::<f64>().ok())
        };
        match (field("X="), field("Y=")) {
            (Some(x), Some(y)) => Point { x, y },
            _ => Point { x: 0.0, y: 0.0 },
        }
    }

    /// Where the page's (0,0) is on the screen: the pointer is moved over
    /// the top bar (never inside a widget's frame, whose events the page
    /// does not see) and the page reports where the event landed.
    pub async fn page_origin(&self) -> Point {
        let s = &self.session;
        let brand = self.rect(".topbar .brand").await.expect("the top bar");
        s.execute(
            "window.__tesseraProbe = null; addEventListener('mousemove', \
             (e) => { window.__tesseraProbe = [e.clientX, e.clientY]; });",
            vec![],
        )
        .await
        .expect("install the pointer probe");
        let guess = self.window_position().await;
        let target = brand.centre();
        let mut last = Point { x: 0.0, y: 0.0 };
        // Two moves, so that one is a change whatever the pointer's place;
        // the probe keeps the last.
        for dx in [0.0, 3.0] {
            last = Point {
                x: (guess.x + target.x + dx).round(),
                y: (guess.y + target.y).round(),
            };
            self.xdotool(&["mousemove".into(), last.x.to_string(), last.y.to_string()])
                .await;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        let probe = s
            .wait_for(
                "the page to see the pointer over its top bar",
                Duration::from_secs(10),
                || async {
                    let v = s.execute("return window.__tesseraProbe", vec![]).await?;
                    Ok(v.as_array().cloned())
                },
            )
            .await;
        let f = |i: usize| probe[i].as_f64().expect("number");
        Point {
            x: last.x - f(0),
            y: last.y - f(1),
        }
    }

    /// Presses the left button at `from`, moves in small steps to `to` (both
    /// in page pixels) and releases there, as a hand does.
    pub async fn drag(&self, from: Point, to: Point) {
        let origin = self.page_origin().await;
        let screen = |p: Point| {
            [
                ((origin.x + p.x).round() as i64).to_string(),
                ((origin.y + p.y).round() as i64).to_string(),
            ]
        };
        let [fx, fy] = screen(from);
        self.xdotool(&["mousemove".into(), fx, fy]).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        self.xdotool(&["mousedown".into(), "1".into()]).await;
        // A hand first drifts a few pixels (past the drag threshold) while
        // still over the tab, then travels: the page only sees moves over
        // its own document until the drag has begun (frames take the rest).
        let len = ((to.x - from.x).powi(2) + (to.y - from.y).powi(2))
            .sqrt()
            .max(1.0);
        let (ux, uy) = ((to.x - from.x) / len, (to.y - from.y) / len);
        let mut path: Vec<Point> = (1..=4)
            .map(|i| Point {
                x: from.x + ux * 3.0 * i as f64,
                y: from.y + uy * 3.0 * i as f64,
            })
            .collect();
        const STEPS: usize = 12;
        let start = path[path.len() - 1];
        path.extend((1..=STEPS).map(|i| {
            let t = i as f64 / STEPS as f64;
            Point {
                x: start.x + (to.x - start.x) * t,
                y: start.y + (to.y - start.y) * t,
            }
        }));
        for p in path {
            let [x, y] = screen(p);
            self.xdotool(&["mousemove".into(), x, y]).await;
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        // Hover at the target so the drop overlay settles, then release.
        tokio::time::sleep(Duration::from_millis(250)).await;
        self.xdotool(&["mouseup".into(), "1".into()]).await;
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    /// Drags `panel`'s tab onto the content of the group holding `target`,
    /// at fractions (fx, fy) of its width and height (0.92, 0.5: its right edge).
    pub async fn drag_tab_onto(&self, panel: &str, target: &str, fx: f64, fy: f64) {
        let from = self
            .rect(&format!(
                ".dv-tab:has(.tessera-tab[data-panel-id=\"{panel}\"])"
            ))
            .await
            .unwrap_or_else(|| panic!("no tab for panel {panel}"))
            .centre();
        let area = self
            .rect(&format!(
                ".dv-groupview:has(.tessera-tab[data-panel-id=\"{target}\"]) .dv-content-container"
            ))
            .await
            .unwrap_or_else(|| panic!("no group holding panel {target}"));
        self.drag(from, area.at(fx, fy)).await;
    }

    /// A left click at a point of the page, with the real pointer.
    pub async fn click_at(&self, at: Point) {
        let origin = self.page_origin().await;
        let x = ((origin.x + at.x).round() as i64).to_string();
        let y = ((origin.y + at.y).round() as i64).to_string();
        self.xdotool(&["mousemove".into(), x, y, "click".into(), "1".into()])
            .await;
    }

    /// A left click where the pointer is.
    pub async fn click(&self) {
        self.xdotool(&["click".into(), "1".into()]).await;
    }

    /// Moves the pointer to `at` (a tooltip under it goes, say) without clicking.
    pub async fn move_to(&self, at: Point) {
        let origin = self.page_origin().await;
        let x = ((origin.x + at.x).round() as i64).to_string();
        let y = ((origin.y + at.y).round() as i64).to_string();
        self.xdotool(&["mousemove".into(), x, y]).await;
    }

    /// Gives the app's window the keyboard focus (there is no window manager
    /// under Xvfb to do it on a click).
    pub async fn focus_window(&self) {
        self.xdotool(&[
            "search".into(),
            "--onlyvisible".into(),
            "--name".into(),
            "^Tessera$".into(),
            "windowfocus".into(),
            "--sync".into(),
        ])
        .await;
    }

    /// Moves and resizes the app's window titled `title` (as a person does
    /// with the window manager; there is none under Xvfb, so xdotool does).
    pub async fn place_window(&self, title: &str, x: i32, y: i32, width: u32, height: u32) {
        self.xdotool(&[
            "search".into(),
            "--onlyvisible".into(),
            "--name".into(),
            format!("^{title}$"),
            "windowmove".into(),
            "--sync".into(),
            x.to_string(),
            y.to_string(),
            "windowsize".into(),
            "--sync".into(),
            width.to_string(),
            height.to_string(),
        ])
        .await;
    }

    /// Where the app's window titled `title` is: (x, y, width, height).
    pub async fn window_geometry(&self, title: &str) -> Option<(i32, i32, u32, u32)> {
        let out = Command::new("xdotool")
            .args([
                "search",
                "--onlyvisible",
                "--name",
                &format!("^{title}$"),
                "getwindowgeometry",
                "--shell",
            ])
            .env("DISPLAY", &self.display)
            .output()
            .await
            .ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let value = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.trim().parse::<i64>().ok())
        };
        Some((
            value("X")? as i32,
            value("Y")? as i32,
            value("WIDTH")? as u32,
            value("HEIGHT")? as u32,
        ))
    }

    /// The names of the display's visible windows (for failure messages).
    pub async fn window_names(&self) -> Vec<String> {
        let out = Command::new("xdotool")
            .args([
                "search",
                "--onlyvisible",
                "--name",
                ".",
                "getwindowname",
                "%@",
            ])
            .env("DISPLAY", &self.display)
            .output()
            .await;
        match out {
            Ok(o) => String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(str::to_owned)
                .collect(),
            Err(e) => vec![format!("(xdotool: {e})")],
        }
    }

    /// Types text into whatever has the keyboard focus.
    pub async fn type_text(&self, text: &str) {
        self.xdotool(&["type".into(), "--delay".into(), "20".into(), text.into()])
            .await;
    }

    /// Presses keys on the focused window (`xdotool key` names: "ctrl+s").
    pub async fn key(&self, keys: &str) {
        self.xdotool(&["key".into(), keys.into()]).await;
    }
}
