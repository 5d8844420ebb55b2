//! An anchored byte trie: finds every stored literal that is a prefix of a byte sequence, in
//! time proportional to the longest such prefix rather than to the sequence's length.
//!
//! Used for the `startswith` literals (walking a value forwards) and the `endswith` literals
//! (stored reversed, walking a value backwards). Aho-Corasick automata do not report every
//! anchored match, and a scan of the whole value would cost its full length.

use std::collections::BTreeMap;

/// A node of the flattened trie.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Index of the first child in `Trie::nodes` (children are contiguous).
    first_child: u32,
    /// Number of children.
    children: u32,
    /// The value stored at this node, if a literal ends here.
    value: Option<u32>,
}

/// Literals mapped to values; literal bytes are compared after ASCII lower-casing.
#[derive(Debug, Clone)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
    /// The byte on the edge into each node (unused for the root).
    edge: Vec<u8>,
}

/// A trie under construction.
#[derive(Debug, Default)]
struct Building {
    children: BTreeMap<u8, Building>,
    value: Option<u32>,
}

impl Trie {
    /// Builds a trie; each literal's bytes are ASCII-folded. A literal given twice keeps its
    /// first value.
    pub(crate) fn new(
        literals: impl IntoIterator<Item = (impl IntoIterator<Item = u8>, u32)>,
    ) -> Trie {
        let mut root = Building::default();
        for (bytes, value) in literals {
            let mut node = &mut root;
            for b in bytes {
                node = node.children.entry(b.to_ascii_lowercase()).or_default();
            }
            node.value.get_or_insert(value);
        }
        // Breadth-first flattening keeps each node's children contiguous.
        let mut trie = Trie {
            nodes: vec![Node {
                first_child: 0,
                children: 0,
                value: root.value,
            }],
            edge: vec![0],
        };
        let mut queue = std::collections::VecDeque::from([(0usize, root)]);
        while let Some((index, building)) = queue.pop_front() {
            trie.nodes[index].first_child = trie.nodes.len() as u32;
            trie.nodes[index].children = building.children.len() as u32;
            for (byte, child) in building.children {
                trie.nodes.push(Node {
                    first_child: 0,
                    children: 0,
                    value: child.value,
                });
                trie.edge.push(byte);
                queue.push_back((trie.nodes.len() - 1, child));
            }
        }
        trie
    }

    /// Calls `found` with the value of every literal that is a prefix of `bytes`, shortest
    /// first.
    #[inline]
    pub(crate) fn prefixes_of(&self, bytes: impl Iterator<Item = u8>, mut found: impl FnMut(u32)) {
        let mut node = self.nodes[0];
        if let Some(v) = node.value {
            found(v);
        }
        for b in bytes {
            let b = b.to_ascii_lowercase();
            let start = node.first_child as usize;
            let edges = &self.edge[start..start + node.children as usize];
            match edges.binary_search(&b) {
                Ok(i) => node = self.nodes[start + i],
                Err(_) => return,
            }
            if let Some(v) = node.value {
                found(v);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_prefix() {
        let trie = Trie::new([
            ("c:".bytes(), 0),
            ("c:\\windows".bytes(), 1),
            ("d:".bytes(), 2),
            ("C:\\".bytes(), 3),
        ]);
        let mut seen = Vec::new();
        trie.prefixes_of("C:\\Windows\\x".bytes(), |v| seen.push(v));
        assert_eq!(seen, vec![0, 3, 1]);
        seen.clear();
        trie.prefixes_of("e:".bytes(), |v| seen.push(v));
        assert!(seen.is_empty());
        let reversed = Trie::new([("exe.".bytes(), 7)]);
        seen.clear();
        reversed.prefixes_of("A.EXE".bytes().rev(), |v| seen.push(v));
        assert_eq!(seen, vec![7]);
    }
}
