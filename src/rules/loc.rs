//! Where a rule looks, as a path that costs nothing until an issue needs it.
//!
//! A [`Loc`] is a few words on the stack (keys borrowed, indexes as numbers); a rule passes
//! it around freely and turns it into the report's [`Path`] only when it records an issue, so
//! a valid request builds no path at all. Paths in this validator are at most four steps
//! deep (`parameters.multi_prompt[2].duration`, an unknown key of a list item); a `Loc`
//! holds up to [`Loc::MAX`].

use crate::report::{Path, PathSeg};
use std::borrow::Cow;

/// One step of a [`Loc`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Step<'a> {
    /// No step (the unused places of a `Loc`).
    #[default]
    None,
    /// An object key the rules name.
    Static(&'static str),
    /// An object key taken from the request.
    Key(&'a str),
    /// An array index.
    Index(usize),
}

/// A path in the request, kept on the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc<'a> {
    steps: [Step<'a>; Loc::MAX],
    len: u8,
}

impl<'a> Loc<'a> {
    /// The most steps a `Loc` holds: the deepest paths are four steps
    /// (`parameters.multi_prompt[i].duration`, an unknown key of a V3 list item). A step past
    /// it is a bug, caught by the debug assertion of every test build (and dropped in a
    /// release build rather than trap).
    pub const MAX: usize = 4;

    /// The request's root.
    pub const ROOT: Loc<'static> = Loc { steps: [Step::None; Loc::MAX], len: 0 };

    /// A path of the given steps (at most [`Loc::MAX`]).
    pub const fn of(steps: &[Step<'a>]) -> Self {
        let mut loc = Loc { steps: [Step::None; Loc::MAX], len: 0 };
        while (loc.len as usize) < steps.len() && (loc.len as usize) < Loc::MAX {
            loc.steps[loc.len as usize] = steps[loc.len as usize];
            loc.len += 1;
        }
        loc
    }

    #[inline(always)]
    fn push(mut self, step: Step<'a>) -> Self {
        debug_assert!((self.len as usize) < Loc::MAX, "a path deeper than Loc::MAX");
        if let Some(slot) = self.steps.get_mut(self.len as usize) {
            *slot = step;
            self.len += 1;
        }
        self
    }

    /// The path one key further: a key the rules name.
    #[inline(always)]
    pub fn key(self, key: &'static str) -> Self {
        self.push(Step::Static(key))
    }

    /// The path one key further: a key taken from the request (copied into the path).
    #[inline(always)]
    pub fn key_of(self, key: &'a str) -> Self {
        self.push(Step::Key(key))
    }

    /// The path one index further.
    #[inline(always)]
    pub fn index(self, index: usize) -> Self {
        self.push(Step::Index(index))
    }

    /// Its steps.
    pub fn steps(&self) -> &[Step<'a>] {
        &self.steps[..self.len as usize]
    }

    /// The report's path (this allocates: only for an issue).
    pub fn path(&self) -> Path {
        self.steps()
            .iter()
            .filter_map(|s| match *s {
                Step::Static(k) => Some(PathSeg::Key(Cow::Borrowed(k))),
                Step::Key(k) => Some(PathSeg::Key(Cow::Owned(k.to_owned()))),
                Step::Index(i) => Some(PathSeg::Index(i)),
                Step::None => None,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::path;

    #[test]
    fn builds_the_path_it_names() {
        let at = Loc::ROOT.key("parameters").key("multi_prompt").index(2).key("duration");
        assert_eq!(at.path(), path!["parameters", "multi_prompt", 2, "duration"]);
        assert_eq!(Loc::ROOT.path(), Path::new());
        let deep = (0..Loc::MAX).fold(Loc::ROOT, |l, i| l.index(i));
        assert_eq!(deep.steps().len(), Loc::MAX);
    }
}
