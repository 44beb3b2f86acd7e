//! The simulated Slack.
