//! `fupin`: the Liaoning social poverty-alleviation platform API server and its tools.

use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = api::cli::Cli::parse();
    match api::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fupin: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
