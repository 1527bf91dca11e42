pub mod data_folder;
pub mod itinerary;
pub mod json_reader;
pub mod output;
pub mod plan_geojson;
pub mod plan_view;
pub mod problem_file;
pub mod timetable_csv;
