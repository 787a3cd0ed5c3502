# The project's image: the app, the producer, the consumer/matcher and the CLI share it.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
RUN python -c "import sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()['purelib'], 'crypto_paper_sim.pth').write_text('/app\n')" \
    && useradd --create-home --uid 10001 sim && mkdir -p /app/data/runtime && chown -R sim /app/data
USER sim

EXPOSE 8501
# ui.serve refuses to start (exit 2) without a safe AUTH_COOKIE_KEY, then runs streamlit run app.py;
# 0.0.0.0 inside the container: the host decides what it exposes (compose maps the port)
CMD ["python", "-m", "ui.serve", "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true"]
