//! The rolling checksum: two 16-bit sums over a block, `a` of its bytes and `b` of its
//! prefix sums, that slide along data one byte at a time in a few operations.

/// The weak checksum of one block (both sums wrap at 2^16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rsum {
    pub a: u16,
    pub b: u16,
}

impl Rsum {
    /// The checksum of `data` as a block of `block_size` bytes: a shorter block counts
    /// as padded with zeros, as zsync pads the file's last block.
    pub fn of(data: &[u8], block_size: usize) -> Rsum {
        let (mut a, mut b) = (0u16, 0u16);
        for &byte in data {
            a = a.wrapping_add(u16::from(byte));
            b = b.wrapping_add(a);
        }
        // Each padding zero adds `a` to `b` once more.
        let padding = block_size.saturating_sub(data.len()) as u16;
        b = b.wrapping_add(a.wrapping_mul(padding));
        Rsum { a, b }
    }

    /// Slides the window one byte on: `out` leaves at the front, `inn` joins at the
    /// back; `shift` is log2 of the block size.
    #[inline(always)]
    pub fn roll(&mut self, out: u8, inn: u8, shift: u32) {
        self.a = self
            .a
            .wrapping_add(u16::from(inn))
            .wrapping_sub(u16::from(out));
        let out_weight = (u32::from(out) << shift) as u16;
        self.b = self.b.wrapping_add(self.a).wrapping_sub(out_weight);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_equals_computing_afresh() {
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7919 % 251) as u8).collect();
        for shift in [0u32, 1, 4, 10, 11, 16, 20] {
            let size = 1usize << shift;
            if size * 2 > data.len() {
                continue;
            }
            let mut r = Rsum::of(&data[..size], size);
            for x in 0..data.len() - size {
                assert_eq!(
                    r,
                    Rsum::of(&data[x..x + size], size),
                    "shift {shift} at {x}"
                );
                r.roll(data[x], data[x + size], shift);
            }
        }
    }

    #[test]
    fn short_blocks_count_as_zero_padded() {
        let data = [1u8, 2, 3];
        let mut padded = data.to_vec();
        padded.resize(8, 0);
        assert_eq!(Rsum::of(&data, 8), Rsum::of(&padded, 8));
        // a = 6; b = 3*... over 8 bytes: 8*1 + 7*2 + 6*3
        assert_eq!(
            Rsum::of(&data, 8),
            Rsum {
                a: 6,
                b: 8 + 14 + 18
            }
        );
    }
}
