//! Screenshots of the page on screen at phone width (375 px) and desktop width (1440 px), saved as
//! `target/screenshots/<page>-375.png` and `<page>-1440.png` for a person to look at: a test can
//! assert what a page says, not whether it looks broken.

use std::path::PathBuf;

use super::DESKTOP;
use super::driver::Browser;

/// The widths every main page is photographed at: a small phone and a wide desktop.
const WIDTHS: [u32; 2] = [375, 1440];

/// The tallest shot: long pages are cut here rather than making huge files.
const MAX_HEIGHT: u32 = 3000;

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("creating {}: {error}", dir.display()));
    dir
}

impl Browser {
    /// Saves the whole page (up to [`MAX_HEIGHT`]) at each width, then puts the window back.
    pub async fn screenshot(&self, page: &str) {
        for width in WIDTHS {
            self.resize_viewport(width, DESKTOP.1).await;
            // Show the whole page, not just the first screenful: grow the window to the page.
            let height = self.script("return document.documentElement.scrollHeight;", vec![]).await;
            let height = height.as_u64().and_then(|height| u32::try_from(height).ok()).unwrap_or(DESKTOP.1);
            self.resize_viewport(width, height.clamp(400, MAX_HEIGHT)).await;
            let png = self.client.screenshot().await.unwrap_or_else(|error| panic!("screenshot of {page}: {error}"));
            let file = screenshot_dir().join(format!("{page}-{width}.png"));
            std::fs::write(&file, png).unwrap_or_else(|error| panic!("writing {}: {error}", file.display()));
        }
        self.resize_viewport(DESKTOP.0, DESKTOP.1).await;
    }

    /// Sizes the window so the page itself (the viewport) is `width` × `height` CSS pixels.
    async fn resize_viewport(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.expect("resizing the window");
        // The window may have a frame around the viewport: measure it once and add it back.
        let inner = self.script("return [window.innerWidth, window.innerHeight];", vec![]).await;
        let (inner_width, inner_height) = (inner[0].as_u64().unwrap_or(0), inner[1].as_u64().unwrap_or(0));
        let (extra_width, extra_height) =
            (u64::from(width).saturating_sub(inner_width), u64::from(height).saturating_sub(inner_height));
        if extra_width > 0 || extra_height > 0 {
            let (width, height) = (u64::from(width) + extra_width, u64::from(height) + extra_height);
            let (width, height) = (u32::try_from(width).unwrap_or(u32::MAX), u32::try_from(height).unwrap_or(u32::MAX));
            self.client.set_window_size(width, height).await.expect("resizing the window");
        }
        let now = self.script("return window.innerWidth;", vec![]).await;
        assert_eq!(now.as_u64(), Some(u64::from(width)), "the page is {width} px wide for the screenshot");
    }
}
