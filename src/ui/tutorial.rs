//! The Tutorial view (issue #10): the lesson list, the current step's instructions rendered from the lesson's
//! markdown subset as text nodes, per-check progress, a hint on demand, "Show solution", and next step / lesson.
//!
//! The learner works in the other views (Template + Deploy, API Gateway console, Lambda invoke); every Deploy,
//! request and invoke re-runs the active step's checks ([`App::recheck`]) against what they deployed and did since.

use super::route::Route;
use super::{browser, App, Msg};
use crate::scenario::TutorialPosition;
use crate::tutorial::markdown::{self, Block, Inline};
use crate::tutorial::{self, Action, Attempt, CheckKind, CheckResult, Entry, Lesson, Start};
use yew::html::Scope;
use yew::prelude::*;

/// Where progress is kept in local storage: one `lesson-id/step-number` per finished step, one per line.
pub const PROGRESS_KEY: &str = "serverless-playground.tutorial-progress";

/// The tutorial's state in the app.
#[derive(Debug, Default)]
pub struct Tutorial {
    /// The lessons (parsed once).
    pub lessons: Vec<Lesson>,
    /// Finished steps, as `lesson-id/step-number` (1-based).
    pub done: Vec<String>,
    /// The step being worked on: lesson index and step index (0-based).
    pub active: Option<(usize, usize)>,
    /// The learner's requests and invokes since the last Deploy.
    pub actions: Vec<Action>,
    /// The active step's check results, in the step's order.
    pub results: Vec<CheckResult>,
    /// Whether the hint is shown.
    pub hint_shown: bool,
    /// Whether the active step's starting template was put in the editor and deployed since it became active
    /// (the step says so).
    pub start_loaded: bool,
    /// Whether the active step starts from its own template but found text of the learner's in the editor when
    /// it opened (the step offers to load its template).
    pub start_offered: bool,
}

impl Tutorial {
    /// Parses the lessons and reads the saved progress.
    pub fn load() -> Tutorial {
        let done = browser::load(PROGRESS_KEY)
            .ok()
            .flatten()
            .map(|t| t.lines().map(str::to_string).collect())
            .unwrap_or_default();
        Tutorial {
            lessons: tutorial::lessons().unwrap_or_default(),
            done,
            ..Tutorial::default()
        }
    }

    fn is_done(&self, lesson: &Lesson, step: usize) -> bool {
        self.done.contains(&format!("{}/{}", lesson.id, step + 1))
    }

    /// The first step of `lesson` not done yet (0-based), or the first step when every step is done.
    pub fn resume_step(&self, lesson: &Lesson) -> usize {
        (0..lesson.steps.len()).find(|s| !self.is_done(lesson, *s)).unwrap_or(0)
    }

    /// Where the navigation's "Tutorial" leads: the active step; else the first unfinished step of the first
    /// lesson begun and not finished; else the lesson list.
    pub fn resume_route(&self) -> Route {
        if let Some(lesson) = self.active.and_then(|(l, _)| self.lessons.get(l)) {
            if let Some((_, s)) = self.active {
                return step_route(lesson, s);
            }
        }
        let begun = self.lessons.iter().find(|lesson| {
            let done = (0..lesson.steps.len()).filter(|s| self.is_done(lesson, *s)).count();
            done > 0 && done < lesson.steps.len()
        });
        match begun {
            Some(lesson) => step_route(lesson, self.resume_step(lesson)),
            None => Route::Tutorial,
        }
    }

    /// Whether `text` is a template the tutorial can give back at any time (a lesson's start or solution, the
    /// example, or nothing), so replacing it in the editor loses nothing of the learner's.
    pub fn is_replaceable(&self, text: &str, example: &str) -> bool {
        text.trim().is_empty()
            || text == example
            || self.lessons.iter().any(|lesson| {
                (0..lesson.steps.len()).any(|s| {
                    lesson.start_template(s).as_deref() == Some(text)
                        || lesson.solution_template(s).as_deref() == Some(text)
                })
            })
    }

    fn find(&self, lesson_id: &str, step: usize) -> Option<(usize, usize)> {
        let index = self.lessons.iter().position(|l| l.id == lesson_id)?;
        let lesson = self.lessons.get(index)?;
        (step >= 1 && step <= lesson.steps.len()).then_some((index, step - 1))
    }
}

/// The route of step `step` (0-based) of `lesson`.
fn step_route(lesson: &Lesson, step: usize) -> Route {
    Route::TutorialStep {
        lesson: lesson.id.clone(),
        step: step + 1,
    }
}

impl App {
    /// Follows a tutorial route: the step it names becomes the active one.
    pub(super) fn enter_tutorial_step(&mut self) {
        if let Route::TutorialStep { lesson, step } = &self.route {
            let found = self.tutorial.find(lesson, *step);
            if found != self.tutorial.active {
                self.tutorial.active = found;
                self.tutorial.hint_shown = false;
                self.tutorial.start_loaded = false;
                self.tutorial.start_offered = false;
                self.load_own_start();
                self.recheck();
            }
        }
    }

    /// The open step as a scenario's `tutorial` field (what a share link carries).
    pub(super) fn tutorial_position(&self) -> Option<TutorialPosition> {
        let (l, s) = self.tutorial.active?;
        matches!(self.route, Route::TutorialStep { .. }).then_some(())?;
        Some(TutorialPosition {
            lesson: self.tutorial.lessons.get(l)?.id.clone(),
            step: s + 1,
        })
    }

    /// Opens the step a share link named (after its work was restored); an unknown step shows the "no such
    /// step" card, as its deep link does.
    pub(super) fn open_tutorial_position(&mut self, position: Option<TutorialPosition>) {
        let Some(position) = position else {
            return;
        };
        let route = Route::TutorialStep {
            lesson: position.lesson,
            step: position.step,
        };
        browser::replace_hash(&route.href());
        self.route = route;
        self.enter_tutorial_step();
    }

    /// Records a learner action and re-runs the checks.
    pub(super) fn record(&mut self, action: Action) {
        if self.tutorial.actions.len() < 100 {
            self.tutorial.actions.push(action);
        }
        self.recheck();
    }

    /// Re-runs the active step's checks against the deployed template and the actions since; a step whose
    /// checks all pass is saved as done.
    pub(super) fn recheck(&mut self) {
        let Some((lesson_index, step_index)) = self.tutorial.active else {
            return;
        };
        let Some(lesson) = self.tutorial.lessons.get(lesson_index) else {
            return;
        };
        let Some(step) = lesson.steps.get(step_index) else {
            return;
        };
        let attempt = Attempt {
            template: self.deployed_template.clone(),
            actions: self.tutorial.actions.clone(),
        };
        let results = tutorial::evaluate(step.checks.iter().map(|c| (&c.kind, c.missing.as_str())), &attempt);
        let key = format!("{}/{}", lesson.id, step_index + 1);
        if results.iter().all(CheckResult::passed) && !self.tutorial.done.contains(&key) {
            self.tutorial.done.push(key);
            let _ = browser::save(PROGRESS_KEY, &self.tutorial.done.join("\n"));
        }
        self.tutorial.results = results;
    }

    /// A step that starts from its own template (a lesson's first step) loads it when the step opens, unless the
    /// editor holds work of the learner's (then the step offers it): what the instructions describe is then what
    /// the editor shows.
    fn load_own_start(&mut self) {
        let Some((l, s)) = self.tutorial.active else {
            return;
        };
        let Some(lesson) = self.tutorial.lessons.get(l) else {
            return;
        };
        if !matches!(lesson.steps.get(s).map(|step| &step.start), Some(Start::Template(_))) {
            return;
        }
        let Some(template) = lesson.start_template(s) else {
            return;
        };
        if self.scenario.template.body == template {
            // Already in the editor; deploy it if it is not what is deployed.
            if self.deployed_template != template {
                self.set_template_and_deploy(template);
                self.tutorial.start_loaded = true;
            }
            return;
        }
        if self
            .tutorial
            .is_replaceable(&self.scenario.template.body, super::EXAMPLE_TEMPLATE)
        {
            self.set_template_and_deploy(template);
            self.tutorial.start_loaded = true;
        } else {
            self.tutorial.start_offered = true;
        }
    }

    /// Puts the active step's start template in the editor and deploys it (asking first when it would replace
    /// other work).
    pub(super) fn start_step(&mut self) {
        let Some((l, s)) = self.tutorial.active else {
            return;
        };
        let Some(template) = self.tutorial.lessons.get(l).and_then(|lesson| lesson.start_template(s)) else {
            return;
        };
        if self.scenario.template.body != template
            && !self
                .tutorial
                .is_replaceable(&self.scenario.template.body, super::EXAMPLE_TEMPLATE)
            && !browser::confirm(
                "Replace the template in the editor with this step's starting template and deploy it? Your text in \
                 the editor will be lost (Export keeps a copy).",
            )
        {
            return;
        }
        self.set_template_and_deploy(template);
        self.tutorial.start_loaded = true;
        self.tutorial.start_offered = false;
    }

    /// Applies the active step's reference solution (after asking): its template, deployed, then its actions.
    pub(super) fn show_solution(&mut self) {
        let Some((l, s)) = self.tutorial.active else {
            return;
        };
        let Some(lesson) = self.tutorial.lessons.get(l) else {
            return;
        };
        let (Some(template), Some(step)) = (lesson.solution_template(s), lesson.steps.get(s)) else {
            return;
        };
        let actions = step.solution.actions.clone();
        if !browser::confirm("Replace your template with this step's solution and deploy it?") {
            return;
        }
        self.set_template_and_deploy(template);
        for action in actions {
            match &action {
                Action::Request { method, path, .. } => {
                    self.log("Tutorial".into(), format!("Solution: {method} {path}"), String::new())
                }
                Action::Invoke { function, event } => {
                    self.log("Tutorial".into(), format!("Solution: invoke {function}"), event.clone())
                }
                Action::Load(traffic) => {
                    // Run as the Load view runs it, so its chart and bill show the solution's load.
                    self.run_load(traffic.clone());
                    continue;
                }
            }
            self.tutorial.actions.push(action);
        }
        self.recheck();
    }
}

/// The lesson list.
pub(super) fn index_view(app: &App) -> Html {
    let mut available = app.tutorial.lessons.iter();
    let entries = tutorial::INDEX.iter().enumerate().map(|(n, entry)| match entry {
        Entry::Available(_) => match available.next() {
            Some(lesson) => {
                let done = (0..lesson.steps.len())
                    .filter(|s| app.tutorial.is_done(lesson, *s))
                    .count();
                html! {
                    <li class="lesson" data-lesson={ lesson.id.clone() }>
                        <a href={ step_route(lesson, app.tutorial.resume_step(lesson)).href() }>{ format!("{}. {}", n + 1, lesson.title) }</a>
                        <span class="muted">{ format!(" ({done} of {} steps done) ", lesson.steps.len()) }</span>
                        <p>{ &lesson.summary }</p>
                    </li>
                }
            }
            None => html! {},
        },
        Entry::Coming { title, waits_on } => html! {
            <li class="lesson coming">
                <span>{ format!("{}. {title} (coming)", n + 1) }</span>
                <p class="muted">{ format!("Not written yet: {waits_on}.") }</p>
            </li>
        },
    });
    html! {
        <section class="card" id="tutorial">
            <h2>{ "Tutorial" }</h2>
            <p>{ "Lessons following the AWS Lambda & Serverless Architecture Bootcamp. Each step is checked against your deployed account after every Deploy, request and invoke." }</p>
            <ol class="lessons">{ for entries }</ol>
        </section>
    }
}

/// The active step.
pub(super) fn step_view(app: &App, link: &Scope<App>) -> Html {
    let Some((l, s)) = app.tutorial.active else {
        return html! {
            <section class="card">
                <h2>{ "Tutorial" }</h2>
                <p>{ "There is no such lesson step. " }<a href="#/tutorial">{ "See the lessons" }</a></p>
            </section>
        };
    };
    let (Some(lesson), Some(step)) = (
        app.tutorial.lessons.get(l),
        app.tutorial.lessons.get(l).and_then(|x| x.steps.get(s)),
    ) else {
        return html! {};
    };
    let all_pass = !app.tutorial.results.is_empty() && app.tutorial.results.iter().all(CheckResult::passed);
    let uses_load = step
        .checks
        .iter()
        .any(|c| matches!(c.kind, CheckKind::Load { .. } | CheckKind::LearnerLoaded { .. }));
    let next = if s + 1 < lesson.steps.len() {
        html! { <a id="tutorial-next" class="button primary" href={ step_route(lesson, s + 1).href() }>{ "Next step" }</a> }
    } else {
        let next_lesson = app.tutorial.lessons.get(l + 1);
        html! {
            <div id="tutorial-finished" class="notice">
                <p><strong>{ format!("Lesson finished: {}", lesson.title) }</strong></p>
                <p>{ "What you learned:" }</p>
                <ul>{ for lesson.learned.iter().map(|x| html! { <li>{ inlines(&markdown::inlines(x)) }</li> }) }</ul>
                if let Some(next) = next_lesson {
                    <p>{ format!("Next: {}. {}", next.title, next.summary) }</p>
                    <a id="tutorial-next" class="button primary" href={ step_route(next, 0).href() }>{ format!("Next lesson: {}", next.title) }</a>
                } else {
                    <p id="tutorial-course-finished">{ format!("That was the last lesson: you have finished the course ({} lessons). Everything you built is still here to change and share.", app.tutorial.lessons.len()) }</p>
                    <a class="button" href="#/tutorial">{ "All lessons" }</a>
                }
            </div>
        }
    };
    html! {
        <section class="card" id="tutorial-step" data-lesson={ lesson.id.clone() } data-step={ (s + 1).to_string() }>
            <p class="muted"><a href="#/tutorial">{ "Lessons" }</a>{ format!(" / {} / step {} of {}", lesson.title, s + 1, lesson.steps.len()) }</p>
            <h2>{ &step.title }</h2>
            { start_state(app, lesson, s, link) }
            <div class="instructions">{ for markdown::parse(&step.instructions).iter().map(block) }</div>
            <div class="row">
                <button id="tutorial-start" onclick={ link.callback(|_| Msg::TutorialStart) }>{ "Load this step's starting template" }</button>
                <a class="button" href="#/template">{ "Open the template editor" }</a>
                if uses_load {
                    <a id="tutorial-open-load" class="button" href={ Route::Load.href() }>{ "Open the Load view" }</a>
                }
            </div>
            <h3>{ "Checks" }</h3>
            <ul id="tutorial-checks" class="checks">
                { for step.checks.iter().zip(app.tutorial.results.iter()).map(|(c, r)| match r {
                    CheckResult::Pass => html! { <li class="check pass" data-pass="true">{ format!("✓ {}", c.kind.describe()) }</li> },
                    CheckResult::Fail(why) => html! { <li class="check fail" data-pass="false">{ format!("✗ {why}") }</li> },
                }) }
            </ul>
            <div class="row">
                <button id="tutorial-hint" onclick={ link.callback(|_| Msg::TutorialHint) }>{ if app.tutorial.hint_shown { "Hide hint" } else { "Show hint" } }</button>
                <button id="tutorial-solution" onclick={ link.callback(|_| Msg::TutorialSolution) }>{ "Show solution" }</button>
            </div>
            if app.tutorial.hint_shown {
                <p id="tutorial-hint-text" class="notice">{ inlines(&markdown::inlines(&step.hint)) }</p>
            }
            if all_pass {
                <div id="tutorial-step-done">
                    <p><strong>{ "Step done." }</strong></p>
                    { next }
                </div>
            }
        </section>
    }
}

/// A confirmation when the step loaded its starting template; an offer when a step that starts from its own
/// template found other work of the learner's in the editor when it opened (and still does).
fn start_state(app: &App, lesson: &Lesson, s: usize, link: &Scope<App>) -> Html {
    let Some(start) = lesson.start_template(s) else {
        return html! {};
    };
    if app.tutorial.start_loaded {
        return html! {
            <p id="tutorial-loaded" class="notice success" role="status">
                { format!("✓ This step's starting template ({} lines) was loaded into the editor and deployed. ", start.lines().count()) }
                <a href="#/template">{ "See it in the template editor" }</a>
            </p>
        };
    }
    if app.tutorial.start_offered && app.scenario.template.body != start {
        return html! {
            <div id="tutorial-offer" class="notice warning" role="status">
                <p>{ "This step starts from its own template, and the editor holds other text (yours, so it was not replaced). The instructions below describe the starting template." }</p>
                <button class="primary" onclick={ link.callback(|_| Msg::TutorialStart) }>{ "Load this step's starting template" }</button>
            </div>
        };
    }
    html! {}
}

/// After a Deploy during a step: the way back to it, with how many of its checks pass now.
pub(super) fn back_link(app: &App) -> Html {
    let Some((l, s)) = app.tutorial.active else {
        return html! {};
    };
    let Some(lesson) = app.tutorial.lessons.get(l) else {
        return html! {};
    };
    let passed = app.tutorial.results.iter().filter(|r| r.passed()).count();
    html! {
        <p>
            <a id="deploy-back" href={ step_route(lesson, s).href() }>{ format!("Back to the tutorial: {}, step {}", lesson.title, s + 1) }</a>
            { format!(" ({passed} of {} checks pass)", app.tutorial.results.len()) }
        </p>
    }
}

/// The strip shown above the other views while a step is active: the step, how many checks pass, and the way
/// back (or on) to the tutorial.
pub(super) fn banner(app: &App) -> Html {
    let Some((l, s)) = app.tutorial.active else {
        return html! {};
    };
    let (Some(lesson), Some(step)) = (
        app.tutorial.lessons.get(l),
        app.tutorial.lessons.get(l).and_then(|x| x.steps.get(s)),
    ) else {
        return html! {};
    };
    let passed = app.tutorial.results.iter().filter(|r| r.passed()).count();
    let total = app.tutorial.results.len();
    html! {
        <p id="tutorial-banner" class="notice tutorial-banner" role="status">
            { format!("Tutorial, {} step {} of {}: ", lesson.title, s + 1, lesson.steps.len()) }
            <a id="tutorial-back" href={ step_route(lesson, s).href() }>{ &step.title }</a>
            if total > 0 && passed == total {
                <strong>{ " Step done: every check passes. " }</strong>
                <a href={ step_route(lesson, s).href() }>{ "Back to the step for the next one" }</a>
            } else {
                { format!(" ({passed} of {total} checks pass)") }
            }
        </p>
    }
}

fn block(b: &Block) -> Html {
    match b {
        Block::Paragraph(runs) => html! { <p>{ inlines(runs) }</p> },
        Block::Code(text) => html! { <pre><code>{ text }</code></pre> },
        Block::List(items) => html! { <ul>{ for items.iter().map(|i| html! { <li>{ inlines(i) }</li> }) }</ul> },
    }
}

fn inlines(runs: &[Inline]) -> Html {
    html! {
        <>{ for runs.iter().map(|r| match r {
            Inline::Text(t) => html! { { t } },
            Inline::Code(t) => html! { <code>{ t }</code> },
            Inline::Bold(t) => html! { <strong>{ t }</strong> },
        }) }</>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_done(done: &[&str]) -> Tutorial {
        Tutorial {
            lessons: tutorial::lessons().expect("the lessons parse"),
            done: done.iter().map(|d| d.to_string()).collect(),
            ..Tutorial::default()
        }
    }

    #[test]
    fn the_tutorial_resumes_at_the_first_unfinished_step() {
        let fresh = with_done(&[]);
        assert_eq!(fresh.resume_route(), Route::Tutorial);
        let begun = with_done(&["hello-world-mock/1", "hello-world-mock/2", "hello-world-mock/3"]);
        let hello = &begun.lessons[0];
        assert_eq!(begun.resume_step(hello), 3);
        assert_eq!(
            begun.resume_route(),
            Route::TutorialStep {
                lesson: "hello-world-mock".into(),
                step: 4
            }
        );
        // A finished lesson reopens at its first step; the next begun one is where "Tutorial" leads.
        let next = with_done(&[
            "hello-world-mock/1",
            "hello-world-mock/2",
            "hello-world-mock/3",
            "hello-world-mock/4",
            "first-lambda/1",
        ]);
        assert_eq!(next.resume_step(&next.lessons[0]), 0);
        assert_eq!(
            next.resume_route(),
            Route::TutorialStep {
                lesson: "first-lambda".into(),
                step: 2
            }
        );
        // The active step wins.
        let mut active = with_done(&["hello-world-mock/1"]);
        active.active = Some((2, 1));
        assert_eq!(
            active.resume_route(),
            Route::TutorialStep {
                lesson: "lambda-api-gateway".into(),
                step: 2
            }
        );
    }

    #[test]
    fn only_texts_the_tutorial_can_give_back_are_replaced_without_asking() {
        let t = with_done(&[]);
        let example = crate::ui::EXAMPLE_TEMPLATE;
        assert!(t.is_replaceable(example, example));
        assert!(t.is_replaceable("  \n", example));
        let hello = &t.lessons[0];
        assert!(t.is_replaceable(&hello.solution_template(2).unwrap(), example));
        assert!(t.is_replaceable(&hello.start_template(0).unwrap(), example));
        let mine = format!("{}\n# my note\n", hello.solution_template(2).unwrap());
        assert!(!t.is_replaceable(&mine, example));
    }
}
