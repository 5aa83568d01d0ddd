//! Sharing independent work out over the cores, for the few places where a large unit's
//! every victim is visited (the diary, the screens' start, haystacks a search needs at once).

/// `f` over `items` in order, in as many parts as there are cores once `items` has at least
/// `min` of them (threads cost more than they save on less), the results joined in order.
/// A panic in a part goes on in the caller.
pub fn map_chunks<T: Sync, R: Send>(
    items: &[T],
    min: usize,
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let threads = if items.len() < min {
        1
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    };
    if threads == 1 {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads).max(1))
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parts_come_back_in_order() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = super::map_chunks(&items, 10, |part| part.iter().map(|x| x * 2).collect());
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        let few = super::map_chunks(&items[..3], 10, <[u32]>::to_vec);
        assert_eq!(few, [0, 1, 2]);
    }
}
