//! A flat, pre-ordered view of a parsed page: every pass over the tree is a
//! loop over indices (a subtree is the index range `i..end`), so nothing
//! recurses however deep the markup nests, and nothing is copied.

use scraper::node::Element;
use scraper::{Html, Node as TreeNode};

/// Marks "no parent" (the document root).
pub(super) const NONE: usize = usize::MAX;

/// What a node is.
pub(super) enum Kind<'a> {
    /// The document itself.
    Root,
    /// An element, with its (lower-case) name and attributes.
    Element(&'a Element),
    /// A run of text.
    Text(&'a str),
    /// Comments, doctypes, processing instructions.
    Other,
}

/// One node of the page.
pub(super) struct Node<'a> {
    pub(super) kind: Kind<'a>,
    /// The parent's index, or [`NONE`].
    pub(super) parent: usize,
    /// One past the last index of this node's subtree.
    pub(super) end: usize,
}

/// The page's nodes in document (pre-)order.
pub(super) struct Dom<'a> {
    pub(super) nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    /// Flattens a parsed document, iteratively.
    pub(super) fn new(doc: &'a Html) -> Dom<'a> {
        let root = doc.tree.root();
        let mut nodes: Vec<Node<'a>> = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        let mut cur = root;
        loop {
            let kind = match cur.value() {
                TreeNode::Document | TreeNode::Fragment => Kind::Root,
                TreeNode::Element(e) => Kind::Element(e),
                TreeNode::Text(t) => Kind::Text(t),
                _ => Kind::Other,
            };
            let parent = open.last().copied().unwrap_or(NONE);
            open.push(nodes.len());
            nodes.push(Node {
                kind,
                parent,
                end: 0,
            });
            if let Some(child) = cur.first_child() {
                cur = child;
                continue;
            }
            // Close this node and every ancestor that has no next sibling.
            loop {
                let end = nodes.len();
                if let Some(node) = open.pop().and_then(|i| nodes.get_mut(i)) {
                    node.end = end;
                }
                if cur == root {
                    return Dom { nodes };
                }
                if let Some(next) = cur.next_sibling() {
                    cur = next;
                    break;
                }
                match cur.parent() {
                    Some(p) => cur = p,
                    None => {
                        // Not reachable from a well-formed tree; close what is open.
                        while let Some(i) = open.pop() {
                            let end = nodes.len();
                            if let Some(node) = nodes.get_mut(i) {
                                node.end = end;
                            }
                        }
                        return Dom { nodes };
                    }
                }
            }
        }
    }

    /// The number of nodes.
    pub(super) fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The element at `i`, if it is one.
    pub(super) fn element(&self, i: usize) -> Option<&'a Element> {
        match self.nodes.get(i).map(|n| &n.kind) {
            Some(Kind::Element(e)) => Some(e),
            _ => None,
        }
    }

    /// The element name at `i` (lower case), if it is an element.
    pub(super) fn name(&self, i: usize) -> Option<&'a str> {
        self.element(i).map(|e| e.name())
    }

    /// An attribute of the element at `i`.
    pub(super) fn attr(&self, i: usize, name: &str) -> Option<&'a str> {
        self.element(i).and_then(|e| e.attr(name))
    }

    /// One past the end of the subtree at `i`.
    pub(super) fn end(&self, i: usize) -> usize {
        self.nodes.get(i).map_or(i, |n| n.end.max(i + 1))
    }

    /// The parent of `i`, or [`NONE`].
    pub(super) fn parent(&self, i: usize) -> usize {
        self.nodes.get(i).map_or(NONE, |n| n.parent)
    }

    /// The children of `i`, in order.
    pub(super) fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.end(i);
        let mut next = i + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let c = next;
            next = self.end(c);
            Some(c)
        })
    }

    /// The text under `i`, whitespace collapsed.
    pub(super) fn text_of(&self, i: usize) -> String {
        let mut s = String::new();
        for node in self.nodes.get(i..self.end(i)).unwrap_or(&[]) {
            if let Kind::Text(t) = node.kind {
                s.push_str(t);
            }
        }
        collapse(&s)
    }
}

/// Collapses runs of whitespace to one space and trims.
pub(crate) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preorder_ranges() {
        let doc = Html::parse_document("<p>a<b>b</b></p><div>c</div>");
        let dom = Dom::new(&doc);
        let p = (0..dom.len()).find(|&i| dom.name(i) == Some("p"));
        let p = p.expect("a p");
        assert_eq!(dom.text_of(p), "ab");
        let kids: Vec<_> = dom.children(p).collect();
        assert_eq!(kids.len(), 2);
        let body = dom.parent(p);
        assert_eq!(dom.name(body), Some("body"));
        assert_eq!(dom.text_of(body), "abc");
        assert_eq!(dom.end(0), dom.len());
    }

    #[test]
    fn deep_nesting_is_flat() {
        let html = format!("{}x{}", "<div>".repeat(50_000), "</div>".repeat(50_000));
        let doc = Html::parse_document(&html);
        let dom = Dom::new(&doc);
        assert_eq!(dom.text_of(0), "x");
    }
}
