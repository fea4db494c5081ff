//! The rules: how paths fall in folder classes, what a policy is and which device group a
//! device is in, the outcome of each piece of evidence and why, who may do what, which act
//! is allowed from which status, and an investigation's status from its actions. Written in
//! the vocabulary's words over the model; nothing here knows the action center's state.

pub mod decide;
pub mod folders;
pub mod investigation;
pub mod lifecycle;
pub mod policy;
pub mod roles;
